-- The inbox search and list at a million invoices, continued (issue [6/7] item 2). See
-- docs/scaling.md#the-inbox-at-a-million-invoices-a-year.

-- Search by words instead of trigrams. A trigram index answers `ILIKE '%q%'`, but for the text
-- of a document most trigrams of a phrase ("Lieferung Heizung Auftrag 512") are shared by nearly
-- every invoice, and the scan reads their posting lists: 3,000 index pages per search on a 1M
-- tenant. Here search_words holds, for every maximal run of letters and digits of search_text
-- (a word), each of its suffixes of three or more characters, and the word itself marked as
-- whole with a leading '^'. For any text that contains q, the runs of q are then found as
-- invoice_search_query() writes them: the first run as a suffix of a word, the runs inside q as
-- whole words, the last run as the beginning of a whole word, and a single run as the beginning
-- of a suffix, which is any part of a word. That is a condition every match satisfies, on
-- posting lists that are short where the phrase is rare; the ILIKE is then checked on the rows
-- it leaves, so a search matches exactly what it matched before.
-- Each word is also prefixed with its tenant (the first 8 hex digits of the id), so that each
-- tenant has posting lists of its own and the index needs no tenant key: a tenant-led GIN index
-- (btree_gin) reads the tenant's posting tree, which holds every invoice of the tenant, on every
-- search, and that was half of the index scan on a 1M tenant (docs/benchmarks.md). Two tenants
-- sharing a prefix only share candidates; tenant_id = current_tenant_id() still decides.
CREATE OR REPLACE FUNCTION public.invoice_search_tenant_prefix(p_tenant uuid) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT left(replace(p_tenant::text, '-', ''), 8) || ':'
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.invoice_search_lexemes(p_tenant uuid, p_text text) RETURNS tsvector
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT array_to_tsvector(coalesce(array_agg(DISTINCT public.invoice_search_tenant_prefix(p_tenant) || x.s), '{}'))
    FROM unnest(regexp_split_to_array(lower(p_text), '[^[:alnum:]]+')) t,
         LATERAL (SELECT '^' || t UNION ALL SELECT substr(t, i) FROM generate_series(1, length(t) - 2) i) x(s)
   WHERE t <> ''
$$;--> statement-breakpoint
-- What a search matches besides the linked supplier's name (drizzle/0012's search_text, now
-- written once for both columns that derive from it).
CREATE OR REPLACE FUNCTION public.invoice_search_text(p_number text, p_extraction jsonb) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT coalesce(p_number, '') || ' ' ||
    coalesce(p_extraction #>> '{fields,supplierName,value}', '') || ' ' ||
    coalesce(p_extraction #>> '{fields,supplierTaxId,value}', '') || ' ' ||
    coalesce(p_extraction #>> '{fields,invoiceNumber,value}', '') || ' ' ||
    coalesce(jsonb_path_query_array(p_extraction, '$.fields.lineItems[*].description.value')::text, '')
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.invoice_search_tenant_prefix(uuid) FROM PUBLIC;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.invoice_search_lexemes(uuid, text) FROM PUBLIC;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.invoice_search_text(text, jsonb) FROM PUBLIC;--> statement-breakpoint
-- remit_app writes invoices, so it computes the generated columns below.
GRANT EXECUTE ON FUNCTION public.invoice_search_tenant_prefix(uuid) TO remit_app;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.invoice_search_lexemes(uuid, text) TO remit_app;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.invoice_search_text(text, jsonb) TO remit_app;--> statement-breakpoint

-- One rewrite of the table for both columns. search_words is stored, not an expression
-- index: a plan that walks the date order checks it per row, and computing it there cost
-- 150 µs a row. Generated, so no write path can forget them; not in the Drizzle schema, so no
-- other read carries them. (What the inbox shows from the document as read, read_supplier_name
-- and the rest, are drizzle/0016's generated columns: the extraction carries its pages' words,
-- up to ~200 KB TOASTed, and reading fields out of it per row decompressed every document.)
DROP INDEX invoices_tenant_search_idx;--> statement-breakpoint
ALTER TABLE invoices
  DROP COLUMN search_text,
  ADD COLUMN search_text text GENERATED ALWAYS AS (public.invoice_search_text(invoice_number, extraction)) STORED,
  ADD COLUMN search_words tsvector GENERATED ALWAYS AS (public.invoice_search_lexemes(tenant_id, public.invoice_search_text(invoice_number, extraction))) STORED;--> statement-breakpoint
CREATE INDEX invoices_search_words_idx ON invoices USING gin (search_words);--> statement-breakpoint

-- The tsquery of a LIKE pattern as likePattern() writes it ('%' || q escaped || '%'), or NULL
-- when the pattern has a wildcard inside or no usable run (then the search reads by ILIKE alone).
-- A first run shorter than three characters may be a part of a word that is not indexed, so it
-- is left out: every term kept is one that each match has.
CREATE OR REPLACE FUNCTION public.invoice_search_query(p_tenant uuid, p_pattern text) RETURNS tsquery
  LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  inner_text text := regexp_replace(p_pattern, '^%|%$', '', 'g');
  runs text[];
  n integer;
  terms text[] := '{}';
  tp text := public.invoice_search_tenant_prefix(p_tenant);
BEGIN
  -- An unescaped wildcard inside: not a plain "contains q"; the runs would not bound words.
  IF regexp_replace(inner_text, '\\.', '', 'g') ~ '[%_]' THEN
    RETURN NULL;
  END IF;
  SELECT coalesce(array_agg(r ORDER BY o), '{}') INTO runs
    FROM unnest(regexp_split_to_array(lower(inner_text), '[^[:alnum:]]+')) WITH ORDINALITY u(r, o)
   WHERE r <> '';
  n := cardinality(runs);
  IF n = 0 THEN
    RETURN NULL;
  END IF;
  FOR i IN 1..n LOOP
    IF n = 1 THEN
      -- Any part of a word: the beginning of one of its suffixes.
      IF length(runs[1]) >= 3 THEN terms := terms || format('%L:*', tp || runs[1]); END IF;
    ELSIF i = 1 THEN
      -- The end of a word: one of its suffixes, whole.
      IF length(runs[1]) >= 3 THEN terms := terms || format('%L', tp || runs[1]); END IF;
    ELSIF i = n THEN
      -- The beginning of a whole word.
      terms := terms || format('%L:*', tp || '^' || runs[i]);
    ELSE
      terms := terms || format('%L', tp || '^' || runs[i]);
    END IF;
  END LOOP;
  IF cardinality(terms) = 0 THEN
    RETURN NULL;
  END IF;
  RETURN array_to_string(terms, ' & ')::tsquery;
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.invoice_search_query(uuid, text) FROM PUBLIC;--> statement-breakpoint

-- The match: words first (an index condition), ILIKE as the exact check; by ILIKE alone when
-- the pattern gives no words ($10 NULL). $8/$9 are the linked suppliers, as in drizzle/0012.
CREATE OR REPLACE FUNCTION public.invoice_search_match(p_linked uuid[], p_words tsquery)
  RETURNS text
  LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT CASE WHEN p_words IS NULL THEN 'i.search_text ILIKE $2'
              ELSE '(i.search_words @@ $10 AND i.search_text ILIKE $2)' END
      || CASE WHEN p_linked IS NULL THEN '' ELSE ' OR i.supplier_id = ANY ($8)' END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION public.invoice_search_match(uuid[], tsquery) FROM PUBLIC;--> statement-breakpoint
DROP FUNCTION public.invoice_search_match(uuid[]);--> statement-breakpoint

CREATE OR REPLACE FUNCTION public.search_invoice_ids(
  p_pattern text, p_status invoice_status, p_created_by uuid,
  p_after_at timestamptz, p_after_id uuid, p_newest boolean, p_limit integer)
  RETURNS TABLE (id uuid)
  LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  tenant uuid := public.current_tenant_id();
  dir text := CASE WHEN p_newest THEN 'DESC' ELSE 'ASC' END;
  linked uuid[];
  words tsquery := public.invoice_search_query(public.current_tenant_id(), p_pattern);
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
      WHERE i.tenant_id = $1 AND (%s)
        %s %s %s
      ORDER BY i.created_at %s, i.id %s
      LIMIT $7',
    public.invoice_search_match(linked, words),
    CASE WHEN p_status IS NULL THEN '' ELSE 'AND i.status = $3' END,
    CASE WHEN p_created_by IS NULL THEN '' ELSE 'AND i.created_by = $4' END,
    CASE WHEN p_after_at IS NULL OR p_after_id IS NULL THEN ''
         WHEN p_newest THEN 'AND (i.created_at, i.id) < ($5, $6)'
         ELSE 'AND (i.created_at, i.id) > ($5, $6)' END,
    dir, dir)
  USING tenant, p_pattern, p_status, p_created_by, p_after_at, p_after_id, p_limit, linked,
    NULL::uuid[], words;
END
$$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION public.search_inbox(
  p_pattern text, p_status invoice_status, p_created_by uuid,
  p_after_at timestamptz, p_after_id uuid, p_newest boolean, p_limit integer, p_cap integer)
  RETURNS TABLE (ids uuid[], counts jsonb, capped boolean)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  tenant uuid := public.current_tenant_id();
  dir text := CASE WHEN p_newest THEN 'DESC' ELSE 'ASC' END;
  linked uuid[];
  words tsquery := public.invoice_search_query(public.current_tenant_id(), p_pattern);
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
        WHERE i.tenant_id = $1 AND (%s) %s
        LIMIT $8 + 1)
     SELECT (SELECT count(*) FROM m),
            (SELECT coalesce(jsonb_object_agg(c.status, c.n), ''{}'')
               FROM (SELECT m.status, count(*) AS n FROM m GROUP BY m.status) c),
            (SELECT array_agg(p.id ORDER BY p.created_at %s, p.id %s)
               FROM (SELECT m.id, m.created_at FROM m WHERE true %s %s
                      ORDER BY m.created_at %s, m.id %s LIMIT $7) p)',
    replace(public.invoice_search_match(linked, words), '$8', '$9'),
    CASE WHEN p_created_by IS NULL THEN '' ELSE 'AND i.created_by = $4' END,
    dir, dir,
    CASE WHEN p_status IS NULL THEN '' ELSE 'AND m.status = $3' END,
    CASE WHEN p_after_at IS NULL OR p_after_id IS NULL THEN ''
         WHEN p_newest THEN 'AND (m.created_at, m.id) < ($5, $6)'
         ELSE 'AND (m.created_at, m.id) > ($5, $6)' END,
    dir, dir)
  INTO total, tab_counts, page
  USING tenant, p_pattern, p_status, p_created_by, p_after_at, p_after_id, p_limit, p_cap, linked,
    words;
  IF total > p_cap THEN
    SELECT array_agg(f.id) INTO page FROM public.search_invoice_ids(
      p_pattern, p_status, p_created_by, p_after_at, p_after_id, p_newest, p_limit) f;
  END IF;
  RETURN QUERY SELECT coalesce(page, '{}'::uuid[]), tab_counts, total > p_cap;
END
$$;
