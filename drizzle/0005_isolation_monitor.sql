-- The isolation monitor (docs/isolation.md). Two more narrow SECURITY DEFINER exceptions, both
-- allowlisted in packages/db/src/audit.ts, and one platform table that remit_app can only
-- append to through the first of them.
--
-- isolation_violations is a platform table: it has no tenant_id column (a violation may have no
-- tenant at all: an anonymous forged token), and remit_app is granted nothing on it. Platform
-- operators read it through the server's own connection (the operator.recentViolations
-- procedure), like the other platform tables.
CREATE TABLE "isolation_violations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" uuid,
	"caller_tenant_id" uuid,
	"target_tenant_id" uuid,
	"audit_tenant_id" uuid,
	"procedure" text NOT NULL,
	"target" text,
	"request_id" text,
	"ip" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "isolation_violations_created_at_idx" ON "isolation_violations" USING btree ("created_at" DESC NULLS LAST);
--> statement-breakpoint
REVOKE ALL ON TABLE public.isolation_violations FROM PUBLIC;
--> statement-breakpoint
-- Appends a batch of violations, and nothing else. Each one is kept in isolation_violations; if
-- it has a tenant, it also becomes an `isolation.violation` row in that tenant's audit_log: the
-- caller's tenant when one was resolved, else the tenant the request named, if that tenant
-- exists. Every field is validated or cut to size here; an entry that does not fit (unknown
-- kind, not an object) is skipped rather than failing the batch. Returns the number kept.
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
    audit_tenant := coalesce(caller_tenant, target_tenant);
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
--> statement-breakpoint
-- After a tenant procedure has answered NOT_FOUND, the monitor asks, off the request path,
-- whether the id the caller sent exists in a tenant other than the one the transaction is bound
-- to (current_tenant_id(); with none bound, any tenant) and that the acting user
-- (current_app_user_id()) is not a member of: a person in two tenants who sends the other
-- tenant's id by mistake is not probing. It answers one boolean for one (table, id) pair from a
-- fixed list, never a row, a tenant or a count. Global suppliers (tenant_id IS NULL) belong to
-- no tenant and are never "another tenant's".
CREATE OR REPLACE FUNCTION public.id_exists_in_other_tenant(target_table text, target_id uuid)
  RETURNS boolean
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  bound constant uuid := public.current_tenant_id();
  actor constant uuid := public.current_app_user_id();
  owner_tenant uuid;
BEGIN
  IF target_id IS NULL THEN
    RETURN false;
  END IF;
  CASE target_table
    WHEN 'invoices' THEN
      SELECT x.tenant_id INTO owner_tenant FROM public.invoices x WHERE x.id = target_id;
    WHEN 'suppliers' THEN
      SELECT x.tenant_id INTO owner_tenant FROM public.suppliers x WHERE x.id = target_id;
    WHEN 'invoice_comments' THEN
      SELECT x.tenant_id INTO owner_tenant FROM public.invoice_comments x WHERE x.id = target_id;
    WHEN 'documents' THEN
      SELECT x.tenant_id INTO owner_tenant FROM public.documents x WHERE x.id = target_id;
    WHEN 'ocr_jobs' THEN
      SELECT x.tenant_id INTO owner_tenant FROM public.ocr_jobs x WHERE x.id = target_id;
    WHEN 'members' THEN
      SELECT x.organization_id INTO owner_tenant FROM public.members x WHERE x.id = target_id;
    WHEN 'tenants' THEN
      SELECT x.id INTO owner_tenant FROM public.tenants x WHERE x.id = target_id;
    ELSE
      RAISE EXCEPTION 'not a table the monitor may probe' USING ERRCODE = '22023';
  END CASE;
  RETURN owner_tenant IS NOT NULL
     AND owner_tenant IS DISTINCT FROM bound
     AND NOT EXISTS (SELECT 1 FROM public.members m
                      WHERE m.organization_id = owner_tenant AND m.user_id = actor);
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.id_exists_in_other_tenant(text, uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.id_exists_in_other_tenant(text, uuid) TO remit_app;
