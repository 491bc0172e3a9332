-- Tenant-context outcomes are recorded before a request has a tenant (a denial or a failed
-- repair may have none), so remit_app cannot write them through the isolation policy. This one
-- narrow SECURITY DEFINER function is the exception the audit allowlists: it only appends rows
-- to tenant_context_events, validates every field, and returns the number written.
CREATE OR REPLACE FUNCTION public.record_tenant_context_events(events jsonb) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  written integer;
BEGIN
  IF jsonb_typeof(events) <> 'array' OR jsonb_array_length(events) > 10000 THEN
    RAISE EXCEPTION 'events must be an array of at most 10000 items' USING ERRCODE = '22023';
  END IF;
  INSERT INTO public.tenant_context_events (tenant_id, user_id, outcome, reason, created_at)
  SELECT t.id, (e->>'userId')::uuid, (e->>'outcome')::tenant_context_outcome,
         left(e->>'reason', 200), coalesce((e->>'at')::timestamptz, now())
  FROM jsonb_array_elements(events) e
  -- An event naming a tenant that no longer exists is kept, without the tenant.
  LEFT JOIN public.tenants t ON t.id = (e->>'tenantId')::uuid;
  GET DIAGNOSTICS written = ROW_COUNT;
  RETURN written;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.record_tenant_context_events(jsonb) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.record_tenant_context_events(jsonb) TO remit_app;
