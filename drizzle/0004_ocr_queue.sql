-- A worker cannot know which tenant has work before it has claimed some, so claiming is the
-- second narrow SECURITY DEFINER exception the audit allowlists. It only ever touches ocr_jobs:
-- it picks one claimable job with FOR UPDATE SKIP LOCKED (so concurrent claimers never get the
-- same job and never wait on each other), leases it to the named worker, and returns the ids the
-- API needs to carry on under that job's tenant through withTenant, like any other request.
-- A job is claimable when it is queued and due, or running with a lease that ran out (its worker
-- died or hung). A job whose lease ran out with no attempts left is dead-lettered here instead.
CREATE OR REPLACE FUNCTION public.claim_ocr_job(worker text, lease_seconds integer)
  RETURNS TABLE (tenant_id uuid, job_id uuid, invoice_id uuid, document_id uuid, attempt integer)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
#variable_conflict use_column
DECLARE
  candidate record;
BEGIN
  IF worker IS NULL OR char_length(worker) NOT BETWEEN 1 AND 100 THEN
    RAISE EXCEPTION 'worker must be 1-100 characters' USING ERRCODE = '22023';
  END IF;
  IF lease_seconds IS NULL OR lease_seconds NOT BETWEEN 1 AND 3600 THEN
    RAISE EXCEPTION 'lease_seconds must be 1-3600' USING ERRCODE = '22023';
  END IF;
  LOOP
    SELECT j.tenant_id, j.id, j.attempts, j.max_attempts INTO candidate
      FROM public.ocr_jobs j
     WHERE (j.status = 'queued' AND j.run_after <= now())
        OR (j.status = 'running' AND j.lease_expires_at < now())
     ORDER BY j.run_after, j.created_at
     LIMIT 1
       FOR UPDATE SKIP LOCKED;
    IF NOT FOUND THEN
      RETURN;
    END IF;
    IF candidate.attempts >= candidate.max_attempts THEN
      UPDATE public.ocr_jobs j
         SET status = 'dead', lease_owner = NULL, lease_expires_at = NULL,
             completed_at = now(), updated_at = now(),
             last_error = coalesce(j.last_error || ' / ', '')
               || 'the worker stopped reporting (lease expired) on the last attempt'
       WHERE j.tenant_id = candidate.tenant_id AND j.id = candidate.id;
      CONTINUE;
    END IF;
    RETURN QUERY
      UPDATE public.ocr_jobs j
         SET status = 'running', attempts = j.attempts + 1, lease_owner = worker,
             lease_expires_at = now() + make_interval(secs => lease_seconds),
             progress = 0, updated_at = now()
       WHERE j.tenant_id = candidate.tenant_id AND j.id = candidate.id
      RETURNING j.tenant_id, j.id, j.invoice_id, j.document_id, j.attempts;
    RETURN;
  END LOOP;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.claim_ocr_job(text, integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.claim_ocr_job(text, integer) TO remit_app;
--> statement-breakpoint
-- Counting the queue for metrics and readiness must not need a tenant either; it returns numbers
-- only, never ids.
CREATE OR REPLACE FUNCTION public.ocr_queue_depth()
  RETURNS TABLE (queued bigint, running bigint, dead bigint)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT count(*) FILTER (WHERE status = 'queued'),
         count(*) FILTER (WHERE status = 'running'),
         count(*) FILTER (WHERE status = 'dead')
    FROM public.ocr_jobs
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.ocr_queue_depth() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.ocr_queue_depth() TO remit_app;
