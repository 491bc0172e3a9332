-- [1/7] Hardening.
--
-- rate_limits: counters for sign-in and sign-up attempts that every API process shares. A
-- platform table, like isolation_violations: remit_app is granted nothing on it.
CREATE TABLE "rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"hits" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "rate_limits_window_start_idx" ON "rate_limits" USING btree ("window_start");
--> statement-breakpoint
REVOKE ALL ON TABLE public.rate_limits FROM PUBLIC;
--> statement-breakpoint
-- record_isolation_violation() as in 0005, except where a cross_tenant_id violation is audited:
-- no longer in the probing tenant's audit_log (an existence oracle), only in isolation_violations
-- for operators, and in the target tenant's audit when the target is a tenant.
CREATE OR REPLACE FUNCTION public.record_isolation_violation(violations jsonb) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  uuid_shape constant text :=
    '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
  kinds constant text[] := array[
    'rls_denied', 'cross_tenant_id', 'tenant_claim_mismatch', 'forged_tenant_input',
    'forged_tenant_header', 'invalid_credential', 'invalid_job_token', 'job_token_mismatch',
    'invalid_file_link', 'file_link_mismatch'];
  v jsonb;
  actor_kind text;
  actor uuid;
  caller_tenant uuid;
  target_tenant uuid;
  audit_tenant uuid;
  detail jsonb;
  new_id uuid;
  written integer := 0;
BEGIN
  IF jsonb_typeof(violations) <> 'array' OR jsonb_array_length(violations) > 1000 THEN
    RAISE EXCEPTION 'violations must be an array of at most 1000 items' USING ERRCODE = '22023';
  END IF;
  FOR v IN SELECT e FROM jsonb_array_elements(violations) e LOOP
    CONTINUE WHEN jsonb_typeof(v) <> 'object' OR NOT coalesce(v->>'kind' = ANY (kinds), false);
    actor_kind := CASE WHEN v->>'actorType' IN ('user', 'service') THEN v->>'actorType'
                       ELSE 'anonymous' END;
    actor := CASE WHEN v->>'actorId' ~ uuid_shape THEN (v->>'actorId')::uuid END;
    caller_tenant := NULL;
    target_tenant := NULL;
    SELECT t.id INTO caller_tenant FROM public.tenants t
     WHERE t.id = CASE WHEN v->>'callerTenantId' ~ uuid_shape
                       THEN (v->>'callerTenantId')::uuid END;
    SELECT t.id INTO target_tenant FROM public.tenants t
     WHERE t.id = CASE WHEN v->>'targetTenantId' ~ uuid_shape
                       THEN (v->>'targetTenantId')::uuid END;
    -- Whether an id the caller sent exists in another tenant is for operators only: a row in
    -- the caller's own audit log for a real id, and none for a random one, would answer the very
    -- question NOT_FOUND keeps from it. Such a probe reaches the target tenant's audit when the
    -- target is known (a tenant id), and the caller's never.
    audit_tenant := CASE WHEN v->>'kind' = 'cross_tenant_id' THEN target_tenant
                         ELSE coalesce(caller_tenant, target_tenant) END;
    detail := CASE WHEN jsonb_typeof(v->'detail') = 'object'
                    AND octet_length((v->'detail')::text) <= 2000
                   THEN v->'detail' ELSE '{}'::jsonb END;
    INSERT INTO public.isolation_violations
      (kind, actor_type, actor_id, caller_tenant_id, target_tenant_id, audit_tenant_id,
       procedure, target, request_id, ip, detail)
    VALUES
      (v->>'kind', actor_kind, actor, caller_tenant, target_tenant, audit_tenant,
       left(coalesce(v->>'procedure', 'unknown'), 200), left(v->>'target', 300),
       left(v->>'requestId', 100), left(v->>'ip', 100), detail)
    RETURNING id INTO new_id;
    IF audit_tenant IS NOT NULL THEN
      INSERT INTO public.audit_log
        (tenant_id, actor_id, actor_type, action, entity_type, entity_id, summary, request_id, ip)
      VALUES
        (audit_tenant, actor,
         CASE actor_kind WHEN 'anonymous' THEN 'system' ELSE actor_kind END,
         'isolation.violation', 'isolation', new_id::text,
         jsonb_build_object(
           'kind', v->>'kind', 'procedure', left(coalesce(v->>'procedure', 'unknown'), 200),
           'target', left(v->>'target', 300), 'actorType', actor_kind, 'actorId', actor,
           'callerTenantId', caller_tenant, 'targetTenantId', target_tenant,
           'requestId', left(v->>'requestId', 100), 'detail', detail),
         left(v->>'requestId', 100), left(v->>'ip', 100));
    END IF;
    written := written + 1;
  END LOOP;
  RETURN written;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.record_isolation_violation(jsonb) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.record_isolation_violation(jsonb) TO remit_app;
