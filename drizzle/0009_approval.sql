CREATE TABLE "approval_bands" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"currency" text NOT NULL,
	"min_total" numeric(18, 2) NOT NULL,
	"required_approvals" integer DEFAULT 1 NOT NULL,
	"require_admin" boolean DEFAULT false NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "approval_bands_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "approval_bands_tenant_currency_min_unique" UNIQUE("tenant_id","currency","min_total"),
	CONSTRAINT "approval_bands_currency_check" CHECK ("approval_bands"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "approval_bands_min_total_check" CHECK ("approval_bands"."min_total" >= 0),
	CONSTRAINT "approval_bands_required_check" CHECK ("approval_bands"."required_approvals" between 1 and 10)
);
--> statement-breakpoint
CREATE TABLE "invoice_approvals" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"invoice_id" uuid NOT NULL,
	"round" integer NOT NULL,
	"approver_id" uuid NOT NULL,
	"approver_role" text NOT NULL,
	"duties_relaxed" boolean DEFAULT false NOT NULL,
	"snapshot" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invoice_approvals_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "invoice_approvals_once_per_round" UNIQUE("tenant_id","invoice_id","round","approver_id"),
	CONSTRAINT "invoice_approvals_role_check" CHECK ("invoice_approvals"."approver_role" in ('admin', 'verifier'))
);
--> statement-breakpoint
CREATE TABLE "tenant_settings" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"separation_of_duties" boolean DEFAULT true NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenant_settings_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "tenant_settings_one_per_tenant" UNIQUE("tenant_id")
);
--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "submitted_by" uuid;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "rejected_by" uuid;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "rejected_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "duties_relaxed" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "review_round" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "approved_snapshot" jsonb;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "bank_details_changed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "ocr_proposal" jsonb;--> statement-breakpoint
ALTER TABLE "suppliers" ADD COLUMN "bank_account" text;--> statement-breakpoint
ALTER TABLE "suppliers" ADD COLUMN "bank_code" text;--> statement-breakpoint
ALTER TABLE "approval_bands" ADD CONSTRAINT "approval_bands_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_approvals" ADD CONSTRAINT "invoice_approvals_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_approvals" ADD CONSTRAINT "invoice_approvals_invoice_fk" FOREIGN KEY ("tenant_id","invoice_id") REFERENCES "public"."invoices"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenant_settings" ADD CONSTRAINT "tenant_settings_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "invoice_approvals_approver_idx" ON "invoice_approvals" USING btree ("approver_id");--> statement-breakpoint

-- [5/7] Approval an auditor accepts: separation of duties, approval bands, one row per approval,
-- what was approved frozen with it. Hand-written below, like 0001: the rules are the database's,
-- for every role, so no path around the API can skip them. docs/lifecycle.md tells the story.

-- Row-level security on the three new tenant tables, the same clause as every other.
ALTER TABLE tenant_settings ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE tenant_settings FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE approval_bands ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE approval_bands FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE invoice_approvals ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE invoice_approvals FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation_tenant_settings ON tenant_settings AS PERMISSIVE FOR ALL TO remit_app
  USING (tenant_id = (SELECT current_tenant_id()))
  WITH CHECK (tenant_id = (SELECT current_tenant_id()));
--> statement-breakpoint
CREATE POLICY tenant_isolation_approval_bands ON approval_bands AS PERMISSIVE FOR ALL TO remit_app
  USING (tenant_id = (SELECT current_tenant_id()))
  WITH CHECK (tenant_id = (SELECT current_tenant_id()));
--> statement-breakpoint
CREATE POLICY tenant_isolation_invoice_approvals ON invoice_approvals AS PERMISSIVE FOR ALL TO remit_app
  USING (tenant_id = (SELECT current_tenant_id()))
  WITH CHECK (tenant_id = (SELECT current_tenant_id()));
--> statement-breakpoint
-- Settings and bands are the tenant admin's to write, in the admin's own name.
CREATE POLICY tenant_settings_admin_insert ON tenant_settings AS RESTRICTIVE FOR INSERT TO remit_app
  WITH CHECK ((SELECT current_app_role()) = 'admin' AND updated_by = (SELECT current_app_user_id()));
--> statement-breakpoint
CREATE POLICY tenant_settings_admin_update ON tenant_settings AS RESTRICTIVE FOR UPDATE TO remit_app
  USING ((SELECT current_app_role()) = 'admin')
  WITH CHECK (updated_by = (SELECT current_app_user_id()));
--> statement-breakpoint
CREATE POLICY approval_bands_admin_insert ON approval_bands AS RESTRICTIVE FOR INSERT TO remit_app
  WITH CHECK ((SELECT current_app_role()) = 'admin' AND created_by = (SELECT current_app_user_id()));
--> statement-breakpoint
CREATE POLICY approval_bands_admin_update ON approval_bands AS RESTRICTIVE FOR UPDATE TO remit_app
  USING ((SELECT current_app_role()) = 'admin')
  WITH CHECK (created_by = (SELECT current_app_user_id()));
--> statement-breakpoint
CREATE POLICY approval_bands_admin_delete ON approval_bands AS RESTRICTIVE FOR DELETE TO remit_app
  USING ((SELECT current_app_role()) = 'admin');
--> statement-breakpoint
-- An approval is always the acting user's own (the trigger below also writes it).
CREATE POLICY invoice_approvals_insert_own ON invoice_approvals AS RESTRICTIVE FOR INSERT TO remit_app
  WITH CHECK (approver_id = (SELECT current_app_user_id()));
--> statement-breakpoint
REVOKE ALL ON tenant_settings, approval_bands, invoice_approvals FROM PUBLIC;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON tenant_settings TO remit_app;
--> statement-breakpoint
-- The API replaces a policy whole (delete the tenant's bands, insert the new ones).
GRANT SELECT, INSERT, UPDATE, DELETE ON approval_bands TO remit_app;
--> statement-breakpoint
-- Approvals are append-only: what was approved, by whom, stays.
GRANT SELECT, INSERT ON invoice_approvals TO remit_app;
--> statement-breakpoint

-- Separation of duties is on unless the tenant's admin turned it off. Read with the caller's
-- rights: a remit_app caller sees its own tenant's row only, and no row means "separated".
CREATE OR REPLACE FUNCTION public.duties_separated(p_tenant_id uuid) RETURNS boolean
  LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp
  AS $$ SELECT coalesce(
    (SELECT s.separation_of_duties FROM public.tenant_settings s WHERE s.tenant_id = p_tenant_id),
    true) $$;
--> statement-breakpoint

-- What an approver approves: the supplier as it is now (name, tax id, bank details) and the
-- invoice's totals. Money as decimal strings, like the API. Built from the row given (NEW in a
-- trigger), so an UPDATE that changes totals and approves at once snapshots the new totals.
CREATE OR REPLACE FUNCTION public.approval_snapshot(i public.invoices) RETURNS jsonb
  LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  s public.suppliers%ROWTYPE;
BEGIN
  SELECT * INTO s FROM public.suppliers x WHERE x.tenant_id = i.tenant_id AND x.id = i.supplier_id;
  RETURN jsonb_build_object(
    'supplierId', i.supplier_id,
    'supplierName', s.name,
    'supplierTaxId', s.tax_id,
    'bankAccount', s.bank_account,
    'bankCode', s.bank_code,
    'invoiceNumber', i.invoice_number,
    'invoiceDate', i.invoice_date,
    'currency', i.currency,
    'subtotal', i.subtotal::text,
    'taxAmount', i.tax_amount::text,
    'total', i.total::text,
    'amountDue', i.amount_due::text);
END
$$;
--> statement-breakpoint

-- The tenant's band for an amount: the highest band of the invoice's currency at or below its
-- total. None: one approval, by anyone allowed to approve.
CREATE OR REPLACE FUNCTION public.approval_requirement(
  p_tenant_id uuid, p_currency text, p_total numeric,
  OUT required_approvals integer, OUT require_admin boolean)
  LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT coalesce(b.required_approvals, 1), coalesce(b.require_admin, false)
  FROM (SELECT 1) one
  LEFT JOIN LATERAL (
    SELECT x.required_approvals, x.require_admin FROM public.approval_bands x
    WHERE x.tenant_id = p_tenant_id AND x.currency = p_currency
      AND x.min_total <= coalesce(p_total, 0)
    ORDER BY x.min_total DESC LIMIT 1) b ON true
$$;
--> statement-breakpoint

-- Met when this review round has enough distinct approvers (an admin among them if the band
-- says so) who approved exactly what the invoice is now: an approval of other totals or other
-- bank details does not count.
CREATE OR REPLACE FUNCTION public.approval_policy_met(i public.invoices) RETURNS boolean
  LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  req record;
  snap jsonb := public.approval_snapshot(i);
  approvers integer;
  admins integer;
BEGIN
  SELECT * INTO req FROM public.approval_requirement(i.tenant_id, i.currency, i.total);
  SELECT count(DISTINCT a.approver_id), count(DISTINCT a.approver_id) FILTER (WHERE a.approver_role = 'admin')
    INTO approvers, admins
    FROM public.invoice_approvals a
   WHERE a.tenant_id = i.tenant_id AND a.invoice_id = i.id AND a.round = i.review_round
     AND a.snapshot = snap;
  RETURN approvers >= req.required_approvals AND (NOT req.require_admin OR admins > 0);
END
$$;
--> statement-breakpoint

-- The lifecycle trigger of 0001, with who did each step recorded and separation of duties:
-- the submitter may not verify (RM006), an approver may not have submitted or verified (RM007,
-- checked where approvals are inserted), and approved_to_ap needs the approval policy met
-- (RM008). Where the tenant relaxed the rule, the step is allowed and the invoice says so.
CREATE OR REPLACE FUNCTION public.invoices_guard_update() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  me uuid := public.current_app_user_id();
BEGIN
  IF OLD.is_locked THEN
    RAISE EXCEPTION 'invoice is locked' USING ERRCODE = 'RM001';
  END IF;
  IF NEW.tenant_id IS DISTINCT FROM OLD.tenant_id OR NEW.id IS DISTINCT FROM OLD.id
     OR NEW.created_by IS DISTINCT FROM OLD.created_by THEN
    RAISE EXCEPTION 'invoice identity cannot change' USING ERRCODE = 'RM004';
  END IF;
  -- Who submitted, verified, approved and rejected, and when, is the trigger's to write.
  NEW.submitted_at := OLD.submitted_at;
  NEW.submitted_by := OLD.submitted_by;
  NEW.verified_at := OLD.verified_at;
  NEW.verified_by := OLD.verified_by;
  NEW.approved_at := OLD.approved_at;
  NEW.approved_by := OLD.approved_by;
  NEW.rejected_at := OLD.rejected_at;
  NEW.rejected_by := OLD.rejected_by;
  NEW.duties_relaxed := OLD.duties_relaxed;
  NEW.review_round := OLD.review_round;
  NEW.approved_snapshot := OLD.approved_snapshot;
  -- A bank-details flag can be raised, never lowered by a caller.
  NEW.bank_details_changed_at := greatest(OLD.bank_details_changed_at, NEW.bank_details_changed_at);
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
        NEW.submitted_by := me;
        NEW.review_round := OLD.review_round + 1;
        NEW.rejected_at := NULL;
        NEW.rejected_by := NULL;
        NEW.duties_relaxed := false;
      WHEN 'verified' THEN
        IF me IS NOT DISTINCT FROM OLD.submitted_by THEN
          IF public.duties_separated(NEW.tenant_id) THEN
            RAISE EXCEPTION 'separation of duties: the submitter may not verify'
              USING ERRCODE = 'RM006';
          END IF;
          NEW.duties_relaxed := true;
        END IF;
        NEW.verified_at := now();
        NEW.verified_by := me;
      WHEN 'approved_to_ap' THEN
        IF NOT public.approval_policy_met(NEW) THEN
          RAISE EXCEPTION 'the approval policy is not met' USING ERRCODE = 'RM008';
        END IF;
        NEW.duties_relaxed := OLD.duties_relaxed OR EXISTS (
          SELECT 1 FROM public.invoice_approvals a
           WHERE a.tenant_id = NEW.tenant_id AND a.invoice_id = NEW.id
             AND a.round = NEW.review_round AND a.duties_relaxed);
        NEW.approved_at := now();
        NEW.approved_by := me;
        NEW.approved_snapshot := public.approval_snapshot(NEW);
      WHEN 'draft' THEN
        NEW.submitted_at := NULL;
        NEW.submitted_by := NULL;
        NEW.verified_at := NULL;
        NEW.verified_by := NULL;
        NEW.rejected_at := now();
        NEW.rejected_by := me;
        NEW.duties_relaxed := false;
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
CREATE OR REPLACE FUNCTION public.invoices_guard_insert() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF NEW.status = 'draft' THEN
    NEW.submitted_at := NULL;
    NEW.submitted_by := NULL;
    NEW.verified_at := NULL;
    NEW.verified_by := NULL;
    NEW.approved_at := NULL;
    NEW.approved_by := NULL;
    NEW.rejected_at := NULL;
    NEW.rejected_by := NULL;
    NEW.duties_relaxed := false;
    NEW.review_round := 0;
    NEW.approved_snapshot := NULL;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint

-- An approval: of a verified invoice, by a verifier or admin who neither submitted nor verified
-- it (unless the tenant relaxed that), once per person and review round. Round, role, snapshot
-- and time are the trigger's to write. The invoice row is locked first, so concurrent approvals
-- of one invoice queue up and the last one sees every earlier one when it counts.
CREATE OR REPLACE FUNCTION public.invoice_approvals_guard() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  me uuid := public.current_app_user_id();
  my_role text := public.current_app_role();
  inv public.invoices%ROWTYPE;
BEGIN
  -- Approvals are made in a tenant's context only, for that tenant: refused here as RLS would
  -- refuse them, before the lookup below could answer differently for another tenant's invoice.
  IF NEW.tenant_id IS DISTINCT FROM public.current_tenant_id() THEN
    RAISE EXCEPTION 'new row violates row-level security policy for table "invoice_approvals"'
      USING ERRCODE = '42501';
  END IF;
  SELECT * INTO inv FROM public.invoices i
   WHERE i.tenant_id = NEW.tenant_id AND i.id = NEW.invoice_id FOR UPDATE;
  IF NOT FOUND THEN
    -- Locked (remit_app's FOR UPDATE skips rows its UPDATE policy hides) or not there at all.
    PERFORM public.assert_invoice_unlocked(NEW.tenant_id, NEW.invoice_id);
    RAISE EXCEPTION 'invoice not found' USING ERRCODE = '23503';
  END IF;
  IF inv.status <> 'verified' THEN
    RAISE EXCEPTION 'only a verified invoice can be approved' USING ERRCODE = 'RM002';
  END IF;
  IF my_role IS DISTINCT FROM 'verifier' AND my_role IS DISTINCT FROM 'admin' THEN
    RAISE EXCEPTION 'role % may not approve', coalesce(my_role, 'none') USING ERRCODE = 'RM003';
  END IF;
  NEW.approver_id := me;
  NEW.approver_role := my_role;
  NEW.round := inv.review_round;
  NEW.created_at := now();
  NEW.duties_relaxed := false;
  IF me IS NOT DISTINCT FROM inv.submitted_by OR me IS NOT DISTINCT FROM inv.verified_by THEN
    IF public.duties_separated(NEW.tenant_id) THEN
      RAISE EXCEPTION 'separation of duties: whoever submitted or verified may not approve'
        USING ERRCODE = 'RM007';
    END IF;
    NEW.duties_relaxed := true;
  END IF;
  IF EXISTS (SELECT 1 FROM public.invoice_approvals a
              WHERE a.tenant_id = NEW.tenant_id AND a.invoice_id = NEW.invoice_id
                AND a.round = NEW.round AND a.approver_id = me) THEN
    RAISE EXCEPTION 'already approved by this person' USING ERRCODE = 'RM009';
  END IF;
  NEW.snapshot := public.approval_snapshot(inv);
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER invoice_approvals_guard BEFORE INSERT ON invoice_approvals
  FOR EACH ROW EXECUTE FUNCTION public.invoice_approvals_guard();
--> statement-breakpoint
-- Once the policy is met, the approval that met it locks the invoice (through the lifecycle
-- trigger above, which checks the policy again).
CREATE OR REPLACE FUNCTION public.invoice_approvals_settle() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  inv public.invoices%ROWTYPE;
BEGIN
  SELECT * INTO inv FROM public.invoices i WHERE i.tenant_id = NEW.tenant_id AND i.id = NEW.invoice_id;
  IF FOUND AND inv.status = 'verified' AND public.approval_policy_met(inv) THEN
    UPDATE public.invoices SET status = 'approved_to_ap'
     WHERE tenant_id = NEW.tenant_id AND id = NEW.invoice_id;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER invoice_approvals_settle AFTER INSERT ON invoice_approvals
  FOR EACH ROW EXECUTE FUNCTION public.invoice_approvals_settle();
--> statement-breakpoint

-- New bank details for a supplier flag every invoice of it not yet approved: whoever submits or
-- approves it next sees the warning and must acknowledge it. Locked invoices keep what was
-- approved (their snapshot) and are not touched.
CREATE OR REPLACE FUNCTION public.suppliers_flag_bank_change() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  UPDATE public.invoices SET bank_details_changed_at = now()
   WHERE tenant_id = NEW.tenant_id AND supplier_id = NEW.id AND NOT is_locked;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER suppliers_flag_bank_change AFTER UPDATE ON suppliers
  FOR EACH ROW
  WHEN (OLD.bank_account IS DISTINCT FROM NEW.bank_account OR OLD.bank_code IS DISTINCT FROM NEW.bank_code)
  EXECUTE FUNCTION public.suppliers_flag_bank_change();
--> statement-breakpoint

-- Who did what, by name: the names of the current tenant's members among the ids asked for
-- (submitter, verifier, approvers, rejecter), and nothing else. SECURITY DEFINER because users
-- and members are platform tables remit_app is granted nothing on; narrowed to members of
-- current_tenant_id(), so an id of anyone outside the tenant gets no row. Allowlisted in
-- packages/db/src/audit.ts.
CREATE OR REPLACE FUNCTION public.tenant_member_names(p_user_ids uuid[])
  RETURNS TABLE (user_id uuid, name text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT u.id, u.name FROM public.users u
    JOIN public.members m ON m.user_id = u.id
   WHERE m.organization_id = public.current_tenant_id()
     AND u.id = ANY (p_user_ids[1:100])
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.tenant_member_names(uuid[]) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.tenant_member_names(uuid[]) TO remit_app;
