-- The clerk's inbox (issue [6/7] item 6): what was read, as columns; sorts and filters that read
-- an index range the size of a page; possible duplicates kept on every write; saved views.
-- See docs/scaling.md ("The clerk's inbox").

CREATE TABLE "inbox_views" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"query" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_views_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "inbox_views_name_bound" CHECK (length("inbox_views"."name") between 1 and 60)
);
--> statement-breakpoint
CREATE TABLE "invoice_duplicates" (
	"tenant_id" uuid NOT NULL,
	"invoice_id" uuid NOT NULL,
	"duplicate_of" uuid NOT NULL,
	"invoice_created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "invoice_duplicates_pkey" PRIMARY KEY("tenant_id","invoice_id")
);
--> statement-breakpoint
ALTER TABLE "inbox_views" ADD CONSTRAINT "inbox_views_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "inbox_views" ADD CONSTRAINT "inbox_views_user_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "invoice_duplicates" ADD CONSTRAINT "invoice_duplicates_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "invoice_duplicates" ADD CONSTRAINT "invoice_duplicates_invoice_fk" FOREIGN KEY ("tenant_id","invoice_id") REFERENCES "public"."invoices"("tenant_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "invoice_duplicates" ADD CONSTRAINT "invoice_duplicates_duplicate_of_fk" FOREIGN KEY ("tenant_id","duplicate_of") REFERENCES "public"."invoices"("tenant_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "inbox_views_tenant_user_idx" ON "inbox_views" USING btree ("tenant_id","user_id","name");
--> statement-breakpoint
CREATE INDEX "invoice_duplicates_tenant_created_at_idx" ON "invoice_duplicates" USING btree ("tenant_id","invoice_created_at" DESC NULLS LAST,"invoice_id" DESC NULLS LAST);
--> statement-breakpoint
CREATE INDEX "invoice_duplicates_duplicate_of_idx" ON "invoice_duplicates" USING btree ("tenant_id","duplicate_of");--> statement-breakpoint

-- Saved views: a person's own, in their tenant only.
ALTER TABLE inbox_views ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE inbox_views FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation_inbox_views ON inbox_views AS PERMISSIVE FOR ALL TO remit_app
  USING (tenant_id = (SELECT current_tenant_id()))
  WITH CHECK (tenant_id = (SELECT current_tenant_id()));--> statement-breakpoint
CREATE POLICY inbox_views_own ON inbox_views AS RESTRICTIVE FOR ALL TO remit_app
  USING (user_id = (SELECT current_app_user_id()))
  WITH CHECK (user_id = (SELECT current_app_user_id()));--> statement-breakpoint
REVOKE ALL ON inbox_views FROM PUBLIC;--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON inbox_views TO remit_app;--> statement-breakpoint

-- Possible duplicates: readable by the tenant, written only by the triggers below.
ALTER TABLE invoice_duplicates ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE invoice_duplicates FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation_invoice_duplicates ON invoice_duplicates AS PERMISSIVE
  FOR ALL TO remit_app
  USING (tenant_id = (SELECT current_tenant_id()))
  WITH CHECK (tenant_id = (SELECT current_tenant_id()));--> statement-breakpoint
REVOKE ALL ON invoice_duplicates FROM PUBLIC;--> statement-breakpoint
-- INSERT/UPDATE/DELETE because the triggers run as the invoker (remit_app, inside the tenant's
-- transaction, so RLS binds every row they touch to that tenant); the guard refuses those
-- writes unless they come from the triggers.
GRANT SELECT, INSERT, UPDATE, DELETE ON invoice_duplicates TO remit_app;--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.invoice_duplicates_guard() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF current_user = 'remit_app' AND pg_trigger_depth() < 2 THEN
    RAISE EXCEPTION 'possible duplicates are kept by the database'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER invoice_duplicates_guard BEFORE INSERT OR UPDATE OR DELETE ON invoice_duplicates
  FOR EACH STATEMENT EXECUTE FUNCTION public.invoice_duplicates_guard();--> statement-breakpoint
REVOKE ALL ON FUNCTION public.invoice_duplicates_guard() FROM PUBLIC;--> statement-breakpoint

-- What was read from the document, as columns the database fills from the extraction (so no
-- write path can forget them, and ADD COLUMN fills the rows already there). The inbox shows the
-- supplier as read where none is linked; duplicates are found by number, total and date as read.
-- Not in the Drizzle schema (like search_text): queries name them. has_warnings backs the
-- "has warnings" filter with a partial index a leakproof boolean test can use under RLS.
-- total_cents is the total in cents for sorting and amount ranges: numeric's comparisons are not
-- LEAKPROOF, so under RLS `total < x` can never be an index condition (a cursor or a range would
-- read the tenant from one end); bigint's are.
ALTER TABLE invoices
  ADD COLUMN read_supplier_name text
    GENERATED ALWAYS AS (nullif(btrim(extraction #>> '{fields,supplierName,value}'), '')) STORED,
  ADD COLUMN read_invoice_number text
    GENERATED ALWAYS AS (nullif(btrim(extraction #>> '{fields,invoiceNumber,value}'), '')) STORED,
  ADD COLUMN read_invoice_date text
    GENERATED ALWAYS AS (nullif(btrim(extraction #>> '{fields,invoiceDate,value}'), '')) STORED,
  ADD COLUMN read_total text
    GENERATED ALWAYS AS (nullif(btrim(extraction #>> '{fields,total,value}'), '')) STORED,
  ADD COLUMN has_warnings boolean
    GENERATED ALWAYS AS (warnings <> '[]'::jsonb) STORED,
  ADD COLUMN total_cents bigint
    GENERATED ALWAYS AS ((total * 100)::bigint) STORED;--> statement-breakpoint

-- Sorts: each key with the id as tie-break, per tenant and per status tab. NULL keys page last
-- in either direction (queries/invoice-sort.ts reads them as a segment of their own).
CREATE INDEX invoices_tenant_invoice_date_idx ON invoices (tenant_id, invoice_date, id);--> statement-breakpoint
CREATE INDEX invoices_tenant_status_invoice_date_idx ON invoices (tenant_id, status, invoice_date, id);--> statement-breakpoint
CREATE INDEX invoices_tenant_due_date_idx ON invoices (tenant_id, due_date, id);--> statement-breakpoint
CREATE INDEX invoices_tenant_status_due_date_idx ON invoices (tenant_id, status, due_date, id);--> statement-breakpoint
CREATE INDEX invoices_tenant_total_cents_idx ON invoices (tenant_id, total_cents, id);--> statement-breakpoint
CREATE INDEX invoices_tenant_status_total_cents_idx ON invoices (tenant_id, status, total_cents, id);--> statement-breakpoint
-- Filters: one supplier's invoices in page order; those with warnings; those still open by due date.
CREATE INDEX invoices_tenant_supplier_created_at_idx
  ON invoices (tenant_id, supplier_id, created_at DESC NULLS FIRST, id DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX invoices_tenant_warnings_created_at_idx
  ON invoices (tenant_id, created_at DESC NULLS FIRST, id DESC NULLS FIRST) WHERE has_warnings;--> statement-breakpoint
CREATE INDEX invoices_tenant_open_due_date_idx
  ON invoices (tenant_id, due_date, id) WHERE NOT is_locked;--> statement-breakpoint
-- Duplicates by what was read.
CREATE INDEX invoices_tenant_read_number_idx
  ON invoices (tenant_id, read_invoice_number, read_total, read_invoice_date)
  WHERE read_invoice_number IS NOT NULL;--> statement-breakpoint

-- The copy p_id looks like, if any (the earliest, never p_excluding): the same linked supplier
-- and number, or the same number, total and date as read. Both arms are index lookups.
CREATE OR REPLACE FUNCTION public.invoice_duplicate_match(p_tenant uuid, p_id uuid, p_excluding uuid)
  RETURNS uuid
  LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT m.id FROM (
    SELECT o.id, o.created_at FROM public.invoices i JOIN public.invoices o
      ON o.tenant_id = i.tenant_id AND o.supplier_id = i.supplier_id
     AND o.invoice_number = i.invoice_number
     WHERE i.tenant_id = p_tenant AND i.id = p_id
    UNION ALL
    SELECT o.id, o.created_at FROM public.invoices i JOIN public.invoices o
      ON o.tenant_id = i.tenant_id AND o.read_invoice_number = i.read_invoice_number
     AND o.read_total = i.read_total AND o.read_invoice_date = i.read_invoice_date
     WHERE i.tenant_id = p_tenant AND i.id = p_id
  ) m
  WHERE m.id <> p_id AND m.id IS DISTINCT FROM p_excluding
  ORDER BY m.created_at, m.id
  LIMIT 1
$$;--> statement-breakpoint
-- Sets p_id's row from its match now (or removes it); returns the match.
CREATE OR REPLACE FUNCTION public.invoice_duplicates_refresh(p_tenant uuid, p_id uuid, p_excluding uuid)
  RETURNS uuid
  LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  other uuid := public.invoice_duplicate_match(p_tenant, p_id, p_excluding);
BEGIN
  IF other IS NULL THEN
    DELETE FROM public.invoice_duplicates WHERE tenant_id = p_tenant AND invoice_id = p_id;
  ELSE
    INSERT INTO public.invoice_duplicates AS d (tenant_id, invoice_id, duplicate_of, invoice_created_at)
      SELECT i.tenant_id, i.id, other, i.created_at FROM public.invoices i
       WHERE i.tenant_id = p_tenant AND i.id = p_id
      ON CONFLICT (tenant_id, invoice_id) DO UPDATE SET duplicate_of = excluded.duplicate_of
      WHERE d.duplicate_of IS DISTINCT FROM excluded.duplicate_of;
  END IF;
  RETURN other;
END $$;--> statement-breakpoint
-- On insert or a change of the matching fields: this invoice's row, then its match's (which
-- names this one unless it already names a copy), then the rows that named this one and may no
-- longer match. Before a delete: the rows that named it look for another copy (the row's own
-- goes with it, by the foreign key's cascade).
CREATE OR REPLACE FUNCTION public.invoice_duplicates_track() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  other uuid;
  named uuid;
BEGIN
  IF TG_OP = 'DELETE' THEN
    FOR named IN SELECT d.invoice_id FROM public.invoice_duplicates d
                  WHERE d.tenant_id = OLD.tenant_id AND d.duplicate_of = OLD.id LOOP
      PERFORM public.invoice_duplicates_refresh(OLD.tenant_id, named, OLD.id);
    END LOOP;
    RETURN OLD;
  END IF;
  other := public.invoice_duplicates_refresh(NEW.tenant_id, NEW.id, NULL);
  IF other IS NOT NULL THEN
    INSERT INTO public.invoice_duplicates (tenant_id, invoice_id, duplicate_of, invoice_created_at)
      SELECT i.tenant_id, i.id, NEW.id, i.created_at FROM public.invoices i
       WHERE i.tenant_id = NEW.tenant_id AND i.id = other
      ON CONFLICT (tenant_id, invoice_id) DO NOTHING;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    FOR named IN SELECT d.invoice_id FROM public.invoice_duplicates d
                  WHERE d.tenant_id = NEW.tenant_id AND d.duplicate_of = NEW.id LOOP
      PERFORM public.invoice_duplicates_refresh(NEW.tenant_id, named, NULL);
    END LOOP;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER invoices_duplicates_insert AFTER INSERT ON invoices
  FOR EACH ROW EXECUTE FUNCTION public.invoice_duplicates_track();--> statement-breakpoint
CREATE TRIGGER invoices_duplicates_update AFTER UPDATE ON invoices
  FOR EACH ROW WHEN (
    OLD.supplier_id IS DISTINCT FROM NEW.supplier_id
    OR OLD.invoice_number IS DISTINCT FROM NEW.invoice_number
    OR OLD.read_invoice_number IS DISTINCT FROM NEW.read_invoice_number
    OR OLD.read_total IS DISTINCT FROM NEW.read_total
    OR OLD.read_invoice_date IS DISTINCT FROM NEW.read_invoice_date)
  EXECUTE FUNCTION public.invoice_duplicates_track();--> statement-breakpoint
CREATE TRIGGER invoices_duplicates_delete BEFORE DELETE ON invoices
  FOR EACH ROW EXECUTE FUNCTION public.invoice_duplicates_track();--> statement-breakpoint
REVOKE ALL ON FUNCTION public.invoice_duplicate_match(uuid, uuid, uuid) FROM PUBLIC;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.invoice_duplicates_refresh(uuid, uuid, uuid) FROM PUBLIC;--> statement-breakpoint
-- The triggers run as the invoker, so remit_app calls these two. Called directly, outside a
-- trigger, the match only reads what RLS shows and the refresh's writes meet the guard.
GRANT EXECUTE ON FUNCTION public.invoice_duplicate_match(uuid, uuid, uuid) TO remit_app;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.invoice_duplicates_refresh(uuid, uuid, uuid) TO remit_app;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.invoice_duplicates_track() FROM PUBLIC;--> statement-breakpoint

-- The duplicates among the invoices already there, in one pass per rule (also what a bulk load
-- that disabled the triggers runs afterwards: packages/api/bench/inbox-bench.ts). Each copy names
-- its earliest match, as the triggers do. RLS is forced: lifted for the copy, in this transaction.
ALTER TABLE invoices NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE invoice_duplicates NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.invoice_duplicates_rebuild() RETURNS bigint
  LANGUAGE sql SET search_path = pg_catalog, public, pg_temp AS $$
  DELETE FROM public.invoice_duplicates;
  WITH pairs AS (
    SELECT i.tenant_id, i.id, i.created_at, o.id AS other, o.created_at AS other_at
      FROM public.invoices i JOIN public.invoices o
        ON o.tenant_id = i.tenant_id AND o.supplier_id = i.supplier_id
       AND o.invoice_number = i.invoice_number AND o.id <> i.id
    UNION ALL
    SELECT i.tenant_id, i.id, i.created_at, o.id, o.created_at
      FROM public.invoices i JOIN public.invoices o
        ON o.tenant_id = i.tenant_id AND o.read_invoice_number = i.read_invoice_number
       AND o.read_total = i.read_total AND o.read_invoice_date = i.read_invoice_date
       AND o.id <> i.id),
  added AS (
    INSERT INTO public.invoice_duplicates (tenant_id, invoice_id, duplicate_of, invoice_created_at)
      SELECT DISTINCT ON (tenant_id, id) tenant_id, id, other, created_at FROM pairs
       ORDER BY tenant_id, id, other_at, other
      RETURNING 1)
  SELECT count(*) FROM added
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.invoice_duplicates_rebuild() FROM PUBLIC;--> statement-breakpoint
SELECT public.invoice_duplicates_rebuild();--> statement-breakpoint
ALTER TABLE invoices FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE invoice_duplicates FORCE ROW LEVEL SECURITY;
