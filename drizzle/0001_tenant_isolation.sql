-- Tenant isolation, hand-written: roles, context functions, grants, row-level security and the
-- invoice rules. drizzle-kit generates the tables (0000); everything here is SQL we want to read
-- and review as SQL. `pnpm db:audit` checks the catalog afterwards, so a clause dropped here
-- (or by a tool) fails CI instead of shipping.
--
-- Every statement is separated by a breakpoint: PGlite runs each one through the extended
-- protocol, which takes one statement at a time.

-- remit_app: the only role granted anything on tenant tables. NOLOGIN (the server's login role
-- switches into it per transaction with SET LOCAL ROLE), owns nothing, never bypasses RLS.
-- Roles are cluster-wide, so a second database on the same server finds it already there.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'remit_app') THEN
    CREATE ROLE remit_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
  -- A non-superuser migrating role must be a member to SET ROLE into it (superusers can anyway).
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
     AND NOT pg_has_role(current_user, 'remit_app', 'MEMBER') THEN
    EXECUTE format('GRANT remit_app TO %I', current_user);
  END IF;
END
$$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO remit_app;
--> statement-breakpoint
-- No objects of its own: a temporary table named like ours could shadow it for unqualified names.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
--> statement-breakpoint
DO $$
BEGIN
  EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
END
$$;
--> statement-breakpoint

-- The request context. Unset and '' both mean "no tenant": after a transaction that set
-- app.tenant_id ends, the session reads it back as '' rather than NULL, and '' must never be
-- cast into "all rows". The result is compared with =, so NULL matches nothing.
CREATE OR REPLACE FUNCTION public.current_tenant_id() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, public, pg_temp
  AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.current_app_user_id() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, public, pg_temp
  AS $$ SELECT NULLIF(current_setting('app.user_id', true), '')::uuid $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.current_app_role() RETURNS text
  LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, public, pg_temp
  AS $$ SELECT NULLIF(current_setting('app.role', true), '') $$;
--> statement-breakpoint

-- Row-level security: enabled and FORCED (so a non-superuser table owner is bound too).
ALTER TABLE suppliers ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE suppliers FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE invoices FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE invoice_line_items ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE invoice_line_items FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE invoice_comments ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE invoice_comments FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE documents FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE ocr_jobs ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE ocr_jobs FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE tenant_context_events ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE tenant_context_events FORCE ROW LEVEL SECURITY;
--> statement-breakpoint

-- One isolation policy per table, USING and WITH CHECK alike. `(SELECT current_tenant_id())`
-- is evaluated once per statement as an InitPlan, so the planner compares tenant_id with a
-- constant and uses the tenant-leading indexes.
CREATE POLICY tenant_isolation_suppliers ON suppliers AS PERMISSIVE FOR ALL TO remit_app
  USING (tenant_id = (SELECT current_tenant_id()))
  WITH CHECK (tenant_id = (SELECT current_tenant_id()));
--> statement-breakpoint
CREATE POLICY tenant_isolation_invoices ON invoices AS PERMISSIVE FOR ALL TO remit_app
  USING (tenant_id = (SELECT current_tenant_id()))
  WITH CHECK (tenant_id = (SELECT current_tenant_id()));
--> statement-breakpoint
CREATE POLICY tenant_isolation_invoice_line_items ON invoice_line_items AS PERMISSIVE FOR ALL TO remit_app
  USING (tenant_id = (SELECT current_tenant_id()))
  WITH CHECK (tenant_id = (SELECT current_tenant_id()));
--> statement-breakpoint
CREATE POLICY tenant_isolation_invoice_comments ON invoice_comments AS PERMISSIVE FOR ALL TO remit_app
  USING (tenant_id = (SELECT current_tenant_id()))
  WITH CHECK (tenant_id = (SELECT current_tenant_id()));
--> statement-breakpoint
CREATE POLICY tenant_isolation_documents ON documents AS PERMISSIVE FOR ALL TO remit_app
  USING (tenant_id = (SELECT current_tenant_id()))
  WITH CHECK (tenant_id = (SELECT current_tenant_id()));
--> statement-breakpoint
CREATE POLICY tenant_isolation_ocr_jobs ON ocr_jobs AS PERMISSIVE FOR ALL TO remit_app
  USING (tenant_id = (SELECT current_tenant_id()))
  WITH CHECK (tenant_id = (SELECT current_tenant_id()));
--> statement-breakpoint
CREATE POLICY tenant_isolation_audit_log ON audit_log AS PERMISSIVE FOR ALL TO remit_app
  USING (tenant_id = (SELECT current_tenant_id()))
  WITH CHECK (tenant_id = (SELECT current_tenant_id()));
--> statement-breakpoint
CREATE POLICY tenant_isolation_tenant_context_events ON tenant_context_events AS PERMISSIVE FOR ALL TO remit_app
  USING (tenant_id = (SELECT current_tenant_id()))
  WITH CHECK (tenant_id = (SELECT current_tenant_id()));
--> statement-breakpoint

-- Global suppliers (tenant_id IS NULL): a second permissive policy for SELECT only, so they are
-- readable by every tenant; UPDATE and DELETE see only tenant_isolation, so they are writable
-- by none.
CREATE POLICY global_suppliers_readable ON suppliers AS PERMISSIVE FOR SELECT TO remit_app
  USING (tenant_id IS NULL);
--> statement-breakpoint

-- Invoice rules, as RESTRICTIVE policies that narrow tenant_isolation further.
-- New invoices start as unlocked drafts created by the acting user.
CREATE POLICY invoices_insert_draft ON invoices AS RESTRICTIVE FOR INSERT TO remit_app
  WITH CHECK (
    status = 'draft' AND NOT is_locked AND created_by = (SELECT current_app_user_id())
  );
--> statement-breakpoint
-- Only unlocked invoices in an editable status can be updated. WITH CHECK (true): the new row
-- may well be approved and locked (that is what approval does); tenant_isolation still checks
-- the tenant of the new row.
CREATE POLICY invoices_update_editable ON invoices AS RESTRICTIVE FOR UPDATE TO remit_app
  USING (NOT is_locked AND status IN ('draft', 'pending_verification', 'verified'))
  WITH CHECK (true);
--> statement-breakpoint
CREATE POLICY invoices_delete_draft ON invoices AS RESTRICTIVE FOR DELETE TO remit_app
  USING (status = 'draft' AND NOT is_locked);
--> statement-breakpoint
-- A comment is always the acting user's own.
CREATE POLICY invoice_comments_insert_own ON invoice_comments AS RESTRICTIVE FOR INSERT TO remit_app
  WITH CHECK (author_id = (SELECT current_app_user_id()));
--> statement-breakpoint

-- Grants: remit_app gets exactly what the product needs, nothing on platform tables.
REVOKE ALL ON suppliers, invoices, invoice_line_items, invoice_comments, documents, ocr_jobs,
  audit_log, tenant_context_events FROM PUBLIC;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON suppliers, invoices, invoice_line_items, documents TO remit_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON ocr_jobs TO remit_app;
--> statement-breakpoint
-- Comments, the audit log and context events are append-only for the application.
GRANT SELECT, INSERT ON invoice_comments, audit_log, tenant_context_events TO remit_app;
--> statement-breakpoint

-- Invoice lifecycle, enforced for every role (the owner included), not only remit_app:
-- a locked invoice never changes; status moves only along the allowed edges; verify and approve
-- need app.role verifier or admin; approval locks. Errors carry Remit's own SQLSTATEs (RM0xx)
-- so the API maps them to domain errors without parsing messages.
CREATE OR REPLACE FUNCTION public.invoices_guard_update() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF OLD.is_locked THEN
    RAISE EXCEPTION 'invoice is locked' USING ERRCODE = 'RM001';
  END IF;
  IF NEW.tenant_id IS DISTINCT FROM OLD.tenant_id OR NEW.id IS DISTINCT FROM OLD.id
     OR NEW.created_by IS DISTINCT FROM OLD.created_by THEN
    RAISE EXCEPTION 'invoice identity cannot change' USING ERRCODE = 'RM004';
  END IF;
  -- Who submitted, verified and approved, and when, is the trigger's to write, never the caller's.
  NEW.submitted_at := OLD.submitted_at;
  NEW.verified_at := OLD.verified_at;
  NEW.verified_by := OLD.verified_by;
  NEW.approved_at := OLD.approved_at;
  NEW.approved_by := OLD.approved_by;
  IF NEW.status IS DISTINCT FROM OLD.status THEN
    IF NOT ((OLD.status, NEW.status) IN (
      ('draft'::invoice_status, 'pending_verification'::invoice_status),
      ('pending_verification', 'verified'),
      ('verified', 'approved_to_ap'),
      ('pending_verification', 'draft'),
      ('verified', 'draft')
    )) THEN
      RAISE EXCEPTION 'invalid status transition from % to %', OLD.status, NEW.status
        USING ERRCODE = 'RM002';
    END IF;
    -- Verifying, approving and undoing a verification are the verifier's and admin's.
    IF (NEW.status IN ('verified', 'approved_to_ap') OR OLD.status = 'verified')
       AND public.current_app_role() IS DISTINCT FROM 'verifier'
       AND public.current_app_role() IS DISTINCT FROM 'admin' THEN
      RAISE EXCEPTION 'role % may not move an invoice to %', coalesce(public.current_app_role(), 'none'),
        NEW.status USING ERRCODE = 'RM003';
    END IF;
    CASE NEW.status
      WHEN 'pending_verification' THEN
        NEW.submitted_at := now();
      WHEN 'verified' THEN
        NEW.verified_at := now();
        NEW.verified_by := public.current_app_user_id();
      WHEN 'approved_to_ap' THEN
        NEW.approved_at := now();
        NEW.approved_by := public.current_app_user_id();
      WHEN 'draft' THEN
        NEW.submitted_at := NULL;
        NEW.verified_at := NULL;
        NEW.verified_by := NULL;
      ELSE NULL;
    END CASE;
  END IF;
  -- The lock follows the status, never a caller's say-so.
  NEW.is_locked := NEW.status = 'approved_to_ap';
  NEW.updated_at := now();
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER invoices_guard_update BEFORE UPDATE ON invoices
  FOR EACH ROW EXECUTE FUNCTION public.invoices_guard_update();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.invoices_guard_delete() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF OLD.is_locked THEN
    RAISE EXCEPTION 'invoice is locked' USING ERRCODE = 'RM001';
  END IF;
  RETURN OLD;
END
$$;
--> statement-breakpoint
CREATE TRIGGER invoices_guard_delete BEFORE DELETE ON invoices
  FOR EACH ROW EXECUTE FUNCTION public.invoices_guard_delete();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.invoices_guard_insert() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF NEW.status = 'draft' THEN
    NEW.submitted_at := NULL;
    NEW.verified_at := NULL;
    NEW.verified_by := NULL;
    NEW.approved_at := NULL;
    NEW.approved_by := NULL;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER invoices_guard_insert BEFORE INSERT ON invoices
  FOR EACH ROW EXECUTE FUNCTION public.invoices_guard_insert();
--> statement-breakpoint

-- Line items and documents belong to their invoice's lock: no insert, update or delete once the
-- parent is locked (checked for the old and the new parent, so a row cannot be moved in or out).
-- The lookup runs with the caller's rights; a parent the caller cannot see is left to the
-- composite foreign key and RLS to refuse.
-- Raises RM001 if the invoice is locked. FOR SHARE first: it conflicts with the row lock an
-- approving UPDATE holds, so a line cannot slip in while an approval is in flight; once that
-- commits, the plain read below (a new snapshot, statement by statement in plpgsql) sees the lock.
-- (For remit_app, FOR SHARE skips rows its UPDATE policy hides, i.e. already locked invoices,
-- which is why the lock itself is read separately.)
CREATE OR REPLACE FUNCTION public.assert_invoice_unlocked(p_tenant_id uuid, p_invoice_id uuid)
  RETURNS void
  LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  PERFORM 1 FROM public.invoices i
    WHERE i.tenant_id = p_tenant_id AND i.id = p_invoice_id FOR SHARE;
  IF EXISTS (
    SELECT 1 FROM public.invoices i
    WHERE i.tenant_id = p_tenant_id AND i.id = p_invoice_id AND i.is_locked
  ) THEN
    RAISE EXCEPTION 'invoice is locked' USING ERRCODE = 'RM001';
  END IF;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.guard_locked_invoice_child() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM public.assert_invoice_unlocked(OLD.tenant_id, OLD.invoice_id);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM public.assert_invoice_unlocked(NEW.tenant_id, NEW.invoice_id);
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER invoice_line_items_guard_lock BEFORE INSERT OR UPDATE OR DELETE ON invoice_line_items
  FOR EACH ROW EXECUTE FUNCTION public.guard_locked_invoice_child();
--> statement-breakpoint
CREATE TRIGGER documents_guard_lock BEFORE INSERT OR UPDATE OR DELETE ON documents
  FOR EACH ROW EXECUTE FUNCTION public.guard_locked_invoice_child();
--> statement-breakpoint

-- A tenant supplier copied from a global one must point at a global row (there is no foreign
-- key: a global row has no tenant_id for a tenant-bound key to match). Global rows never point
-- anywhere.
CREATE OR REPLACE FUNCTION public.suppliers_guard() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF NEW.global_supplier_id IS NOT NULL AND (
    NEW.tenant_id IS NULL OR NOT EXISTS (
      SELECT 1 FROM public.suppliers s WHERE s.id = NEW.global_supplier_id AND s.tenant_id IS NULL
    )
  ) THEN
    RAISE EXCEPTION 'global_supplier_id must name a global supplier' USING ERRCODE = 'RM005';
  END IF;
  IF TG_OP = 'UPDATE' THEN
    NEW.updated_at := now();
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER suppliers_guard BEFORE INSERT OR UPDATE ON suppliers
  FOR EACH ROW EXECUTE FUNCTION public.suppliers_guard();
