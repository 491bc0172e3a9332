-- A search combined with the inbox's column filters and column sorts (issue [6/7] items 2 and 6).
-- See docs/scaling.md#the-inbox-at-a-million-invoices-a-year.
--
-- search_inbox (drizzle/0017) returns one page in received-date order. Under a column sort or a
-- column filter the page is read by the query that reads it without a search
-- (packages/api/src/queries/invoice-sorted-page.ts), so the search has to hand over its matches,
-- not a page: every match of the tenant (and "mine") when there are at most p_cap of them, with
-- the tabs' counts, from the same one index scan as search_inbox's. Past the cap, ids is NULL and
-- capped true: the caller then walks its sort's index with the match as a filter (a term that
-- common fills a page within a few rows). SECURITY DEFINER for the same reason as search_inbox:
-- under RLS the words index cannot be used (the match is not LEAKPROOF); the tenant is
-- current_tenant_id() and nothing else.
CREATE OR REPLACE FUNCTION public.search_inbox_matches(
  p_pattern text, p_created_by uuid, p_cap integer)
  RETURNS TABLE (ids uuid[], counts jsonb, capped boolean)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  tenant uuid := public.current_tenant_id();
  linked uuid[];
  words tsquery := public.invoice_search_query(public.current_tenant_id(), p_pattern);
  total bigint;
  tab_counts jsonb;
  found uuid[];
BEGIN
  IF tenant IS NULL OR p_pattern IS NULL THEN
    RETURN;
  END IF;
  IF p_cap IS NULL OR p_cap NOT BETWEEN 1 AND 10000 THEN
    RAISE EXCEPTION 'p_cap must be 1-10000' USING ERRCODE = '22023';
  END IF;
  linked := public.invoice_search_suppliers(tenant, p_pattern);
  EXECUTE format(
    'WITH m AS MATERIALIZED (
       SELECT i.id, i.status FROM public.invoices i
        WHERE i.tenant_id = $1 AND (%s) %s
        LIMIT $3 + 1)
     SELECT (SELECT count(*) FROM m),
            (SELECT coalesce(jsonb_object_agg(c.status, c.n), ''{}'')
               FROM (SELECT m.status, count(*) AS n FROM m GROUP BY m.status) c),
            (SELECT array_agg(m.id) FROM m)',
    -- invoice_search_match names the pattern $2, the linked suppliers $8 and the words $10.
    replace(replace(public.invoice_search_match(linked, words), '$8', '$4'), '$10', '$5'),
    CASE WHEN p_created_by IS NULL THEN '' ELSE 'AND i.created_by = $6' END)
  INTO total, tab_counts, found
  USING tenant, p_pattern, p_cap, linked, words, p_created_by;
  RETURN QUERY SELECT CASE WHEN total > p_cap THEN NULL ELSE coalesce(found, '{}'::uuid[]) END,
    tab_counts, total > p_cap;
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.search_inbox_matches(text, uuid, integer) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.search_inbox_matches(text, uuid, integer) TO remit_app;
