import { invoiceStatuses, statusLabel } from "@remit/rules";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { ExportMenu } from "../components/export-menu";
import { Button } from "../components/ui/button";
import { FormError, Labelled } from "../components/ui/field";
import { Spinner } from "../components/ui/spinner";
import { UploadPanel } from "../components/upload-panel";
import { messageOf } from "../lib/errors";
import { isTyping } from "../lib/format";
import { setNavList } from "../lib/nav-list";
import { Link, navigate, useLocation, useSearchParams } from "../lib/router";
import { useTenant } from "../lib/tenant";
import { type InvoiceRow, type InvoiceStatus, useTRPC } from "../lib/trpc";
import { BulkBar } from "./inbox/bulk-bar";
import { Filters } from "./inbox/filters";
import { InvoiceItem, supplierOf, TableHead } from "./inbox/invoice-table";
import {
  activeFilters,
  compact,
  type FilterKey,
  type InboxQuery,
  type InboxSort,
  paramsFromQuery,
  queryFromParams,
  sortFor,
  sortLabels,
  sorts,
} from "./inbox/query";
import { SavedViews } from "./inbox/views";

const pageSize = 25;
/** The API searches from three characters on (its trigram index needs them). */
const minSearchLength = 3;

export function Inbox() {
  const trpc = useTRPC();
  const [params, setParams] = useSearchParams();
  const { href } = useLocation();
  const { tenant } = useTenant();
  const query = useMemo(() => queryFromParams(params), [params]);
  const { q = "", sort = "newest" } = query;
  // "Waiting for me" (view=waiting) is the caller's queue: the invoices whose next step is theirs.
  const waitingView = params.get("view") === "waiting";
  const status = waitingView ? undefined : query.status;
  const [search, setSearch] = useState(q);
  const searchRef = useRef<HTMLInputElement>(null);

  // The search box writes to the address after a pause, so the list is shareable and survives
  // a reload, without a request per keystroke. A search keeps the filters and the sort (the API
  // answers them together).
  useEffect(() => {
    const timer = setTimeout(() => {
      const next = search.trim();
      if (next === q) return;
      setParams({ q: next || null });
    }, 300);
    return () => clearTimeout(timer);
  }, [search, q, setParams]);

  const setFilter = (key: FilterKey, value: string | boolean | undefined) => {
    const next: InboxQuery = { ...query, [key]: value };
    setParams(paramsFromQuery({ ...next, sort: sortFor(next, key) }));
  };
  const setSort = (next: InboxSort) => {
    setParams({ sort: next === "newest" ? null : next });
  };
  const openView = (view: InboxQuery) => {
    setSearch(view.q ?? "");
    setParams(paramsFromQuery({ sort: "newest", ...view }));
  };

  const searching = q.length >= minSearchLength;
  const tab = useInfiniteQuery(
    trpc.invoice.list.infiniteQueryOptions(
      { ...compact({ ...query, status, q: searching ? q : undefined }), sort, limit: pageSize },
      { getNextPageParam: (last) => last.nextCursor ?? undefined, placeholderData: (prev) => prev },
    ),
  );
  // The queue is oldest first unless asked otherwise: what has waited longest comes first.
  const waiting = useInfiniteQuery(
    trpc.invoice.waiting.infiniteQueryOptions(
      { sort: params.get("sort") === "newest" ? "newest" : "oldest", limit: pageSize },
      { getNextPageParam: (last) => last.nextCursor ?? undefined, enabled: waitingView },
    ),
  );
  const waitingCount = useQuery(trpc.invoice.waitingCount.queryOptions());
  const list = waitingView ? waiting : tab;
  const rows = useMemo(
    () => (list.data?.pages.flatMap((p) => p.items) ?? []) as InvoiceRow[],
    [list.data],
  );
  const counts = tab.data?.pages[0]?.counts;
  // Under a search the tabs count the first few hundred matches; past them each number is a
  // lower bound ("57+"). The tabs count the tab, not the column filters.
  const capped = tab.data?.pages[0]?.countsCapped ?? [];
  const shown = (n: number | undefined, atLeast: boolean) =>
    n === undefined ? undefined : `${n}${atLeast ? "+" : ""}`;
  const all = counts ? Object.values(counts).reduce((a, b) => a + b, 0) : undefined;

  // The selection survives paging and refetches; it drops rows no longer listed.
  const [selected, setSelected] = useState<Set<string>>(new Set());
  useEffect(() => {
    setSelected((current) => {
      const listed = new Set(rows.map((r) => r.id));
      const kept = [...current].filter((id) => listed.has(id));
      return kept.length === current.size ? current : new Set(kept);
    });
  }, [rows]);
  const toggle = (id: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  useEffect(() => {
    setNavList(
      rows.map((r) => r.id),
      href,
    );
  }, [rows, href]);

  // j/k or arrows move through the rows, Enter opens (the row is a link), x selects, / searches.
  const rowRefs = useRef<Array<HTMLAnchorElement | null>>([]);
  const [cursorAt, setCursorAt] = useState(-1);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "/" && !isTyping(event)) {
        event.preventDefault();
        searchRef.current?.focus();
        return;
      }
      const inList = (event.target as HTMLElement | null)?.closest?.(".invoice-list");
      if (event.key === "x" && inList && !isTyping(event)) {
        const row = rows[cursorAt];
        if (row) toggle(row.id, !selected.has(row.id));
        return;
      }
      const down = event.key === "j" || (inList && event.key === "ArrowDown");
      const up = event.key === "k" || (inList && event.key === "ArrowUp");
      if ((!down && !up) || isTyping(event) || event.altKey) return;
      event.preventDefault();
      setCursorAt((current) => {
        const next = Math.max(0, Math.min(rows.length - 1, current + (down ? 1 : -1)));
        rowRefs.current[next]?.focus();
        return next;
      });
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [rows, cursorAt, selected]);

  type Tab = [InvoiceStatus | "waiting" | undefined, string, string | undefined];
  const tabs: Tab[] = [
    [
      "waiting",
      "Waiting for me",
      shown(waitingCount.data?.count, waitingCount.data?.capped ?? false),
    ],
    [undefined, "All", shown(all, capped.length > 0)],
    ...invoiceStatuses.map((s): Tab => [s, statusLabel(s), shown(counts?.[s], capped.includes(s))]),
  ];
  const currentTab = waitingView ? "waiting" : status;
  const selectedIds = rows.filter((r) => selected.has(r.id)).map((r) => r.id);
  const labelOf = (id: string) => {
    const row = rows.find((r) => r.id === id);
    return row ? `${row.invoiceNumber ?? "No number"} (${supplierOf(row)})` : id;
  };
  const filtered = activeFilters(query) > 0;

  return (
    <section className="page inbox" aria-labelledby="inbox-title">
      <div className="page-head">
        <h1 id="inbox-title">Inbox</h1>
      </div>
      <UploadPanel />
      <nav aria-label="Invoice status" className="tabs">
        <ul>
          {tabs.map(([value, label, count]) => {
            const search = new URLSearchParams(params);
            search.delete("view");
            search.delete("status");
            if (value === "waiting") search.set("view", "waiting");
            else if (value) search.set("status", value);
            const to = `/inbox${search.toString() ? `?${search}` : ""}`;
            return (
              <li key={label}>
                <Link
                  to={to}
                  aria-current={currentTab === value ? "page" : undefined}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(to, { replace: true });
                  }}
                >
                  {label} <span className="count">{count ?? "…"}</span>
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <search className="toolbar">
        <Labelled label="Search" inline>
          <input
            ref={searchRef}
            type="search"
            value={search}
            placeholder="Supplier, invoice number or document text"
            minLength={minSearchLength}
            onChange={(e) => setSearch(e.target.value)}
          />
        </Labelled>
        <Labelled label="Sort" inline>
          <select value={sort} onChange={(e) => setSort(e.target.value as InboxSort)}>
            {sorts.map((s) => (
              <option key={s} value={s}>
                {sortLabels[s]}
              </option>
            ))}
          </select>
        </Labelled>
        <SavedViews query={query} onOpen={openView} />
        <p className="hint keys" aria-hidden="true">
          <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>x</kbd> select · <kbd>Enter</kbd> open ·{" "}
          <kbd>/</kbd> search
        </p>
      </search>
      <Filters query={query} onChange={setFilter} />
      {selectedIds.length > 0 ? (
        <BulkBar
          ids={selectedIds}
          labelOf={labelOf}
          permissions={tenant.permissions}
          onClear={() => setSelected(new Set())}
        />
      ) : (
        <ExportMenu
          status={status}
          shownIds={rows.map((r) => r.id)}
          searching={waitingView || searching || filtered}
        />
      )}
      {list.isPending ? <Spinner label="Loading invoices…" /> : null}
      {list.isError ? <FormError message={messageOf(list.error)} /> : null}
      {list.isSuccess && rows.length === 0 ? (
        <p className="empty">
          {waitingView
            ? "Nothing is waiting for you."
            : q
              ? `No invoices match “${q}”.`
              : filtered
                ? "No invoices match these filters."
                : "No invoices here yet. Upload one above."}
        </p>
      ) : null}
      {rows.length > 0 ? (
        <div className="invoice-table">
          <TableHead
            sort={sort}
            onSort={setSort}
            allSelected={rows.length > 0 && rows.every((r) => selected.has(r.id))}
            onSelectAll={(on) => setSelected(on ? new Set(rows.map((r) => r.id)) : new Set())}
          />
          <ol className="invoice-list" aria-label="Invoices">
            {rows.map((row, index) => (
              <li
                key={row.id}
                className={
                  [index === cursorAt ? "selected" : "", selected.has(row.id) ? "checked" : ""]
                    .join(" ")
                    .trim() || undefined
                }
              >
                <InvoiceItem
                  row={row}
                  selected={selected.has(row.id)}
                  onSelect={(on) => toggle(row.id, on)}
                  linkRef={(el) => {
                    rowRefs.current[index] = el;
                  }}
                  onFocus={() => setCursorAt(index)}
                />
              </li>
            ))}
          </ol>
        </div>
      ) : null}
      {list.hasNextPage ? (
        <Button onClick={() => list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {list.isFetchingNextPage ? "Loading…" : "Load more"}
        </Button>
      ) : null}
    </section>
  );
}
