-- Tenant-context health across every tenant (docs/isolation.md, "Tenant-context health"): the
-- overall coverage, repair and denial rates that /readyz and /metrics report. remit_app can only
-- see one tenant's events through the isolation policy, and events without a tenant (a failed
-- repair, a denial of a removed member) through none, so the overall view needs one more narrow
-- SECURITY DEFINER exception, allowlisted in packages/db/src/audit.ts. It answers counts per
-- time bucket and outcome, never an id, a tenant, a user or a reason: nothing in it tells one
-- tenant anything about another. The window is capped at 7 days and at 2,000 buckets, so a
-- caller cannot make it scan or return without bound.
CREATE OR REPLACE FUNCTION public.tenant_context_health(since timestamptz, bucket_seconds integer)
  RETURNS TABLE (bucket_start timestamptz, ok bigint, repaired bigint, repair_failed bigint,
                 denied bigint)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF since IS NULL OR since < now() - interval '7 days 1 minute' THEN
    RAISE EXCEPTION 'since must be within the last 7 days' USING ERRCODE = '22023';
  END IF;
  IF bucket_seconds IS NULL OR bucket_seconds < 10 OR bucket_seconds > 86400
     OR extract(epoch FROM now() - since) / bucket_seconds > 2000 THEN
    RAISE EXCEPTION 'bucket_seconds must be 10..86400 and give at most 2000 buckets'
      USING ERRCODE = '22023';
  END IF;
  RETURN QUERY
    SELECT to_timestamp(floor(extract(epoch FROM e.created_at) / bucket_seconds) * bucket_seconds),
           count(*) FILTER (WHERE e.outcome = 'ok'),
           count(*) FILTER (WHERE e.outcome = 'repaired'),
           count(*) FILTER (WHERE e.outcome = 'repair_failed'),
           count(*) FILTER (WHERE e.outcome = 'denied')
      FROM public.tenant_context_events e
     WHERE e.created_at >= since
     GROUP BY 1
     ORDER BY 1;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.tenant_context_health(timestamptz, integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.tenant_context_health(timestamptz, integer) TO remit_app;
