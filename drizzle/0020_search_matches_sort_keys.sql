-- A search under a column sort reads one page of rows, not every match twice (issue [6/7] item 2).
-- See docs/scaling.md#the-inbox-at-a-million-invoices-a-year.
--
-- search_inbox_matches (drizzle/0018) lists a search's matches (at most p_cap) from one words-index
-- scan, and the page under a column sort was then read by `id IN (the matches)`: every match read
-- again by primary key, to keep the sort's first rows (1,031 matches, about 4,100 buffers, for one
-- page of 51 on a 1M tenant). The matches' heap rows are already read by the scan, so it now also
-- hands over each match's value of every column the inbox sorts by (invoice date, due date, total
-- in cents), aligned with ids (all four arrays in id order). The caller picks the page's ids in the
-- sort's order from them and reads only those rows. The arguments, the counts, the cap and what is
-- matched are as before; the tenant is still current_tenant_id() and nothing else.
DROP FUNCTION public.search_inbox_matches(text, uuid, integer);--> statement-breakpoint
CREATE FUNCTION public.search_inbox_matches(
  p_pattern text, p_created_by uuid, p_cap integer)
  RETURNS TABLE (ids uuid[], counts jsonb, capped boolean,
                 invoice_dates date[], due_dates date[], totals bigint[])
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  tenant uuid := public.current_tenant_id();
  linked uuid[];
  words tsquery := public.invoice_search_query(public.current_tenant_id(), p_pattern);
  total bigint;
  tab_counts jsonb;
  found uuid[];
  found_invoice_dates date[];
  found_due_dates date[];
  found_totals bigint[];
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
       SELECT i.id, i.status, i.invoice_date, i.due_date, i.total_cents FROM public.invoices i
        WHERE i.tenant_id = $1 AND (%s) %s
        LIMIT $3 + 1)
     SELECT (SELECT count(*) FROM m),
            (SELECT coalesce(jsonb_object_agg(c.status, c.n), ''{}'')
               FROM (SELECT m.status, count(*) AS n FROM m GROUP BY m.status) c),
            (SELECT array_agg(m.id ORDER BY m.id) FROM m),
            (SELECT array_agg(m.invoice_date ORDER BY m.id) FROM m),
            (SELECT array_agg(m.due_date ORDER BY m.id) FROM m),
            (SELECT array_agg(m.total_cents ORDER BY m.id) FROM m)',
    -- invoice_search_match names the pattern $2, the linked suppliers $8 and the words $10.
    replace(replace(public.invoice_search_match(linked, words), '$8', '$4'), '$10', '$5'),
    CASE WHEN p_created_by IS NULL THEN '' ELSE 'AND i.created_by = $6' END)
  INTO total, tab_counts, found, found_invoice_dates, found_due_dates, found_totals
  USING tenant, p_pattern, p_cap, linked, words, p_created_by;
  IF total > p_cap THEN
    RETURN QUERY SELECT NULL::uuid[], tab_counts, true, NULL::date[], NULL::date[], NULL::bigint[];
  ELSE
    RETURN QUERY SELECT coalesce(found, '{}'::uuid[]), tab_counts, false,
      coalesce(found_invoice_dates, '{}'::date[]), coalesce(found_due_dates, '{}'::date[]),
      coalesce(found_totals, '{}'::bigint[]);
  END IF;
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.search_inbox_matches(text, uuid, integer) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.search_inbox_matches(text, uuid, integer) TO remit_app;
