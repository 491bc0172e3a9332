-- The inbox at a million invoices a year per tenant (issue [6/7] items 1-2): pages, tabs and
-- counts read an index range the size of the page, never the tenant; search reads a trigram
-- index. See docs/scaling.md.

-- Trigram search. Both are trusted contrib extensions (a database owner may create them); PGlite
-- loads their bundles from packages/db/src/pglite-extensions.ts. btree_gin lets tenant_id lead a
-- GIN index, so a search reads the tenant's matches only, not every tenant's.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS btree_gin;--> statement-breakpoint

-- What a search matches besides the linked supplier's name: the invoice number as typed, and what
-- was read from the document (supplier name, tax id, number, line descriptions). Computed by the
-- database, so no write path can forget it; not part of the Drizzle schema, so no row the app
-- reads or returns carries it.
ALTER TABLE invoices ADD COLUMN search_text text GENERATED ALWAYS AS (
  coalesce(invoice_number, '') || ' ' ||
  coalesce(extraction #>> '{fields,supplierName,value}', '') || ' ' ||
  coalesce(extraction #>> '{fields,supplierTaxId,value}', '') || ' ' ||
  coalesce(extraction #>> '{fields,invoiceNumber,value}', '') || ' ' ||
  coalesce(jsonb_path_query_array(extraction, '$.fields.lineItems[*].description.value')::text, '')
) STORED;--> statement-breakpoint
CREATE INDEX invoices_tenant_search_idx ON invoices USING gin (tenant_id, search_text gin_trgm_ops);--> statement-breakpoint
CREATE INDEX suppliers_tenant_name_search_idx ON suppliers USING gin (tenant_id, name gin_trgm_ops);--> statement-breakpoint

-- "Mine", alone and per status tab, in page order.
CREATE INDEX invoices_tenant_creator_created_at_idx
  ON invoices (tenant_id, created_by, created_at DESC NULLS FIRST, id DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX invoices_tenant_creator_status_idx
  ON invoices (tenant_id, created_by, status, created_at DESC NULLS FIRST, id DESC NULLS FIRST);--> statement-breakpoint

-- The inbox tabs' counts, per tenant, creator and status ("mine" sums one creator, the tenant
-- sums its creators). Kept by statement-level triggers on invoices, so a bulk insert adds one row
-- per group, not one upsert per invoice.
CREATE TABLE invoice_status_counts (
  tenant_id uuid NOT NULL,
  created_by uuid NOT NULL,
  status invoice_status NOT NULL,
  n bigint NOT NULL DEFAULT 0,
  CONSTRAINT invoice_status_counts_pkey PRIMARY KEY (tenant_id, created_by, status),
  CONSTRAINT invoice_status_counts_tenant_fk FOREIGN KEY (tenant_id)
    REFERENCES tenants (id) ON DELETE CASCADE
);--> statement-breakpoint
ALTER TABLE invoice_status_counts ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE invoice_status_counts FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation_invoice_status_counts ON invoice_status_counts AS PERMISSIVE
  FOR ALL TO remit_app
  USING (tenant_id = (SELECT current_tenant_id()))
  WITH CHECK (tenant_id = (SELECT current_tenant_id()));--> statement-breakpoint
REVOKE ALL ON invoice_status_counts FROM PUBLIC;--> statement-breakpoint
-- INSERT/UPDATE because the triggers run as the invoker (remit_app, inside the tenant's
-- transaction, so RLS binds every counter row they touch to that tenant); the guard below
-- refuses those writes unless they come from the triggers.
GRANT SELECT, INSERT, UPDATE ON invoice_status_counts TO remit_app;--> statement-breakpoint

-- Inserts and updates add their net change per group (an update that moves no invoice between
-- groups writes nothing). Deletes only lower existing rows: when a tenant is deleted its
-- counters may already be gone through their own cascade, and must not come back.
CREATE OR REPLACE FUNCTION public.invoice_status_counts_apply() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO invoice_status_counts AS c (tenant_id, created_by, status, n)
      SELECT tenant_id, created_by, status, count(*) FROM new_rows GROUP BY 1, 2, 3
      ON CONFLICT (tenant_id, created_by, status) DO UPDATE SET n = c.n + excluded.n;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO invoice_status_counts AS c (tenant_id, created_by, status, n)
      SELECT tenant_id, created_by, status, sum(delta) FROM (
        SELECT tenant_id, created_by, status, 1 AS delta FROM new_rows
        UNION ALL
        SELECT tenant_id, created_by, status, -1 AS delta FROM old_rows
      ) d GROUP BY 1, 2, 3 HAVING sum(delta) <> 0
      ON CONFLICT (tenant_id, created_by, status) DO UPDATE SET n = c.n + excluded.n;
  ELSE
    UPDATE invoice_status_counts c SET n = c.n - d.n
      FROM (SELECT tenant_id, created_by, status, count(*) AS n FROM old_rows GROUP BY 1, 2, 3) d
      WHERE c.tenant_id = d.tenant_id AND c.created_by = d.created_by AND c.status = d.status;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER invoices_status_counts_insert AFTER INSERT ON invoices
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public.invoice_status_counts_apply();--> statement-breakpoint
CREATE TRIGGER invoices_status_counts_update AFTER UPDATE ON invoices
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public.invoice_status_counts_apply();--> statement-breakpoint
CREATE TRIGGER invoices_status_counts_delete AFTER DELETE ON invoices
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public.invoice_status_counts_apply();--> statement-breakpoint

-- remit_app may write counters only through the triggers above (trigger depth 2): a statement of
-- its own, injected or not, cannot make a tab lie. The owner may rebuild them (docs/scaling.md).
CREATE OR REPLACE FUNCTION public.invoice_status_counts_guard() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF current_user = 'remit_app' AND pg_trigger_depth() < 2 THEN
    RAISE EXCEPTION 'invoice status counts are kept by the database'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER invoice_status_counts_guard BEFORE INSERT OR UPDATE ON invoice_status_counts
  FOR EACH STATEMENT EXECUTE FUNCTION public.invoice_status_counts_guard();--> statement-breakpoint
REVOKE ALL ON FUNCTION public.invoice_status_counts_apply() FROM PUBLIC;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.invoice_status_counts_guard() FROM PUBLIC;--> statement-breakpoint

-- The counters of the invoices already there. RLS is forced on both tables and this migration's
-- role need not be a superuser: lift the force for the copy, inside the migration's transaction.
ALTER TABLE invoices NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE invoice_status_counts NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
INSERT INTO invoice_status_counts (tenant_id, created_by, status, n)
  SELECT tenant_id, created_by, status, count(*) FROM invoices GROUP BY 1, 2, 3;--> statement-breakpoint
ALTER TABLE invoices FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE invoice_status_counts FORCE ROW LEVEL SECURITY;
--> statement-breakpoint

-- Search under RLS. PostgreSQL evaluates a policy's condition before any condition that is not
-- LEAKPROOF, and ILIKE is not: as remit_app, `search_text ILIKE …` can never be an index
-- condition, and a search reads the whole tenant (measured: a full scan of 1M invoices per
-- search). So the match runs in search_inbox, with the owner's rights (no policy; the owner has
-- BYPASSRLS, docs/database.md), strictly inside current_tenant_id(), and hands back at most one
-- page of ids and the tabs' counts of at most p_cap + 1 matches. The caller then reads those ids
-- under RLS like any other rows, so RLS still decides what is returned. Every statement is
-- planned per call (EXECUTE) with the actual pattern, so that a rare term uses the trigram index
-- and a common one walks the date order. The helpers below are not executable by remit_app.
-- The tenant's suppliers whose name matches, looked up first and handed to the invoice query as
-- a value: as a subquery the planner guesses its size (and then walks the date order through the
-- whole tenant for a term that matches three invoices).
CREATE OR REPLACE FUNCTION public.invoice_search_suppliers(p_tenant uuid, p_pattern text)
  RETURNS uuid[]
  LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT array_agg(s.id) FROM public.suppliers s WHERE s.tenant_id = p_tenant AND s.name ILIKE p_pattern
$$;--> statement-breakpoint
-- The match, with the pattern as $2 and the linked suppliers as $8 (when there are any).
CREATE OR REPLACE FUNCTION public.invoice_search_match(p_linked uuid[])
  RETURNS text
  LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT CASE WHEN p_linked IS NULL THEN 'i.search_text ILIKE $2'
              ELSE '(i.search_text ILIKE $2 OR i.supplier_id = ANY ($8))' END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.invoice_search_suppliers(uuid, text) FROM PUBLIC;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.invoice_search_match(uuid[]) FROM PUBLIC;--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.search_invoice_ids(
  p_pattern text, p_status invoice_status, p_created_by uuid,
  p_after_at timestamptz, p_after_id uuid, p_newest boolean, p_limit integer)
  RETURNS TABLE (id uuid)
  LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  tenant uuid := public.current_tenant_id();
  dir text := CASE WHEN p_newest THEN 'DESC' ELSE 'ASC' END;
  linked uuid[];
BEGIN
  IF tenant IS NULL OR p_pattern IS NULL OR p_newest IS NULL THEN
    RETURN;
  END IF;
  IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 1001 THEN
    RAISE EXCEPTION 'p_limit must be 1-1001' USING ERRCODE = '22023';
  END IF;
  linked := public.invoice_search_suppliers(tenant, p_pattern);
  RETURN QUERY EXECUTE format(
    'SELECT i.id FROM public.invoices i
      WHERE i.tenant_id = $1 AND %s
        %s %s %s
      ORDER BY i.created_at %s, i.id %s
      LIMIT $7',
    public.invoice_search_match(linked),
    CASE WHEN p_status IS NULL THEN '' ELSE 'AND i.status = $3' END,
    CASE WHEN p_created_by IS NULL THEN '' ELSE 'AND i.created_by = $4' END,
    CASE WHEN p_after_at IS NULL OR p_after_id IS NULL THEN ''
         WHEN p_newest THEN 'AND (i.created_at, i.id) < ($5, $6)'
         ELSE 'AND (i.created_at, i.id) > ($5, $6)' END,
    dir, dir)
  USING tenant, p_pattern, p_status, p_created_by, p_after_at, p_after_id, p_limit, linked;
END
$$;--> statement-breakpoint
-- One search, one index scan when the matches are few: the first p_cap + 1 matches (any order)
-- give the tabs' counts, and, when that is all of them, the page too. When there are more, the
-- counts are lower bounds (capped) and the page comes from search_invoice_ids, whose plan then
-- walks the date order (a common term fills a page at once).
CREATE OR REPLACE FUNCTION public.search_inbox(
  p_pattern text, p_status invoice_status, p_created_by uuid,
  p_after_at timestamptz, p_after_id uuid, p_newest boolean, p_limit integer, p_cap integer)
  RETURNS TABLE (ids uuid[], counts jsonb, capped boolean)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  tenant uuid := public.current_tenant_id();
  dir text := CASE WHEN p_newest THEN 'DESC' ELSE 'ASC' END;
  linked uuid[];
  total bigint;
  tab_counts jsonb;
  page uuid[];
BEGIN
  IF tenant IS NULL OR p_pattern IS NULL OR p_newest IS NULL THEN
    RETURN;
  END IF;
  IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 1001 THEN
    RAISE EXCEPTION 'p_limit must be 1-1001' USING ERRCODE = '22023';
  END IF;
  IF p_cap IS NULL OR p_cap NOT BETWEEN 1 AND 10000 THEN
    RAISE EXCEPTION 'p_cap must be 1-10000' USING ERRCODE = '22023';
  END IF;
  linked := public.invoice_search_suppliers(tenant, p_pattern);
  EXECUTE format(
    'WITH m AS MATERIALIZED (
       SELECT i.id, i.created_at, i.status FROM public.invoices i
        WHERE i.tenant_id = $1 AND %s %s
        LIMIT $8 + 1)
     SELECT (SELECT count(*) FROM m),
            (SELECT coalesce(jsonb_object_agg(c.status, c.n), ''{}'')
               FROM (SELECT m.status, count(*) AS n FROM m GROUP BY m.status) c),
            (SELECT array_agg(p.id ORDER BY p.created_at %s, p.id %s)
               FROM (SELECT m.id, m.created_at FROM m WHERE true %s %s
                      ORDER BY m.created_at %s, m.id %s LIMIT $7) p)',
    replace(public.invoice_search_match(linked), '$8', '$9'),
    CASE WHEN p_created_by IS NULL THEN '' ELSE 'AND i.created_by = $4' END,
    dir, dir,
    CASE WHEN p_status IS NULL THEN '' ELSE 'AND m.status = $3' END,
    CASE WHEN p_after_at IS NULL OR p_after_id IS NULL THEN ''
         WHEN p_newest THEN 'AND (m.created_at, m.id) < ($5, $6)'
         ELSE 'AND (m.created_at, m.id) > ($5, $6)' END,
    dir, dir)
  INTO total, tab_counts, page
  USING tenant, p_pattern, p_status, p_created_by, p_after_at, p_after_id, p_limit, p_cap, linked;
  IF total > p_cap THEN
    SELECT array_agg(f.id) INTO page FROM public.search_invoice_ids(
      p_pattern, p_status, p_created_by, p_after_at, p_after_id, p_newest, p_limit) f;
  END IF;
  RETURN QUERY SELECT coalesce(page, '{}'::uuid[]), tab_counts, total > p_cap;
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.search_invoice_ids(text, invoice_status, uuid, timestamptz, uuid, boolean, integer) FROM PUBLIC;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.search_inbox(text, invoice_status, uuid, timestamptz, uuid, boolean, integer, integer) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.search_inbox(text, invoice_status, uuid, timestamptz, uuid, boolean, integer, integer) TO remit_app;
