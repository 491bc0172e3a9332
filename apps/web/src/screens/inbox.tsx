import { useEffect, useMemo, useRef, useState } from "react";
import { ExportMenu } from "../components/export-menu";
import { FormError, Spinner } from "../components/form";
import { OcrBadge, UploadPanel } from "../components/upload-panel";
import { messageOf } from "../lib/errors";
import { formatMoney, isTyping } from "../lib/format";
import { mergeOcr, useLiveJob } from "../lib/live";
import { setNavList } from "../lib/nav-list";
import { statuses, statusLabel } from "../lib/permissions";
import { Link, navigate, useLocation, useSearchParams } from "../lib/router";
import { type InvoiceRow, type InvoiceStatus, trpc } from "../lib/trpc";

const pageSize = 25;
/** The API searches from three characters on (its trigram index needs them). */
const minSearchLength = 3;

export function Inbox() {
  const [params, setParams] = useSearchParams();
  const { href } = useLocation();
  // "Waiting for me" (view=waiting) is the caller's queue: the invoices whose next step is theirs.
  const waitingView = params.get("view") === "waiting";
  const status =
    !waitingView && statuses.includes(params.get("status") as InvoiceStatus)
      ? (params.get("status") as InvoiceStatus)
      : undefined;
  const q = params.get("q") ?? "";
  const sort =
    params.get("sort") === "oldest" || (waitingView && params.get("sort") !== "newest")
      ? "oldest"
      : "newest";
  const [search, setSearch] = useState(q);
  const searchRef = useRef<HTMLInputElement>(null);

  // The search box writes to the address after a pause, so the list is shareable and survives
  // a reload, without a request per keystroke.
  useEffect(() => {
    const timer = setTimeout(() => {
      if (search.trim() !== q) setParams({ q: search.trim() || null });
    }, 300);
    return () => clearTimeout(timer);
  }, [search, q, setParams]);

  const all_ = trpc.invoice.list.useInfiniteQuery(
    { status, q: q.length >= minSearchLength ? q : undefined, sort, limit: pageSize },
    { getNextPageParam: (last) => last.nextCursor ?? undefined, placeholderData: (prev) => prev },
  );
  const waiting = trpc.invoice.waiting.useInfiniteQuery(
    { sort, limit: pageSize },
    { getNextPageParam: (last) => last.nextCursor ?? undefined, enabled: waitingView },
  );
  const waitingCount = trpc.invoice.waitingCount.useQuery();
  const list = waitingView ? waiting : all_;
  const rows = useMemo(
    () => (list.data?.pages.flatMap((p) => p.items) ?? []) as InvoiceRow[],
    [list.data],
  );
  const counts = all_.data?.pages[0]?.counts;
  // Under a search the tabs count the first few hundred matches; past them each number is a
  // lower bound ("57+").
  const capped = all_.data?.pages[0]?.countsCapped ?? [];
  const shown = (n: number | undefined, atLeast: boolean) =>
    n === undefined ? undefined : `${n}${atLeast ? "+" : ""}`;
  const all = counts ? Object.values(counts).reduce((a, b) => a + b, 0) : undefined;

  useEffect(() => {
    setNavList(
      rows.map((r) => r.id),
      href,
    );
  }, [rows, href]);

  // j/k or arrows move through the rows, Enter opens (the row is a link), / focuses search.
  const rowRefs = useRef<Array<HTMLAnchorElement | null>>([]);
  const [selected, setSelected] = useState(-1);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "/" && !isTyping(event)) {
        event.preventDefault();
        searchRef.current?.focus();
        return;
      }
      const inList = (event.target as HTMLElement | null)?.closest?.(".invoice-list");
      const down = event.key === "j" || (inList && event.key === "ArrowDown");
      const up = event.key === "k" || (inList && event.key === "ArrowUp");
      if ((!down && !up) || isTyping(event) || event.altKey) return;
      event.preventDefault();
      setSelected((current) => {
        const next = Math.max(0, Math.min(rows.length - 1, current + (down ? 1 : -1)));
        rowRefs.current[next]?.focus();
        return next;
      });
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [rows.length]);

  type Tab = [InvoiceStatus | "waiting" | undefined, string, string | undefined];
  const tabs: Tab[] = [
    [
      "waiting",
      "Waiting for me",
      shown(waitingCount.data?.count, waitingCount.data?.capped ?? false),
    ],
    [undefined, "All", shown(all, capped.length > 0)],
    ...statuses.map((s): Tab => [s, statusLabel[s], shown(counts?.[s], capped.includes(s))]),
  ];
  const currentTab = waitingView ? "waiting" : status;

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
        <label className="field inline">
          <span>Search</span>
          <input
            ref={searchRef}
            type="search"
            value={search}
            placeholder="Supplier, invoice number or document text"
            minLength={minSearchLength}
            onChange={(e) => setSearch(e.target.value)}
          />
        </label>
        <label className="field inline">
          <span>Sort</span>
          <select value={sort} onChange={(e) => setParams({ sort: e.target.value })}>
            <option value="newest">Newest first</option>
            <option value="oldest">Oldest first</option>
          </select>
        </label>
        <ExportMenu
          status={status}
          shownIds={rows.map((r) => r.id)}
          searching={waitingView || q.length >= minSearchLength}
        />
        <p className="hint keys" aria-hidden="true">
          <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>Enter</kbd> open · <kbd>/</kbd> search
        </p>
      </search>
      {list.isPending ? <Spinner label="Loading invoices…" /> : null}
      {list.isError ? <FormError message={messageOf(list.error)} /> : null}
      {list.isSuccess && rows.length === 0 ? (
        <p className="empty">
          {waitingView
            ? "Nothing is waiting for you."
            : q
              ? `No invoices match “${q}”.`
              : "No invoices here yet. Upload one above."}
        </p>
      ) : null}
      {rows.length > 0 ? (
        <ol className="invoice-list" aria-label="Invoices">
          {rows.map((row, index) => (
            <li key={row.id} className={index === selected ? "selected" : undefined}>
              <InvoiceLink
                row={row}
                ref={(el) => {
                  rowRefs.current[index] = el;
                }}
                onFocus={() => setSelected(index)}
              />
            </li>
          ))}
        </ol>
      ) : null}
      {list.hasNextPage ? (
        <button
          type="button"
          onClick={() => list.fetchNextPage()}
          disabled={list.isFetchingNextPage}
        >
          {list.isFetchingNextPage ? "Loading…" : "Load more"}
        </button>
      ) : null}
    </section>
  );
}

function InvoiceLink({
  row,
  ref,
  onFocus,
}: {
  row: InvoiceRow;
  ref: (el: HTMLAnchorElement | null) => void;
  onFocus: () => void;
}) {
  const live = useLiveJob(row.id);
  const ocr = mergeOcr({ status: row.ocrStatus }, live);
  return (
    <Link to={`/invoices/${row.id}`} className="invoice-row" ref={ref} onFocus={onFocus}>
      <span className="cell supplier">
        {row.supplierName ?? row.readSupplierName ?? "Unknown supplier"}
      </span>
      <span className="cell number">{row.invoiceNumber ?? "No number yet"}</span>
      <span className="cell date">{row.invoiceDate ?? "No date"}</span>
      <span className="cell total">{formatMoney(row.total, row.currency)}</span>
      <span className={`cell status status-${row.status}`}>{statusLabel[row.status]}</span>
      <span className="cell ocr-cell">
        <OcrBadge status={ocr.status} progress={ocr.progress} error={ocr.lastError} />
      </span>
      <span className="cell badges">
        {row.isLocked ? <span className="badge">Locked</span> : null}
        {row.possibleDuplicateOf ? (
          <span className="badge badge-warn">Possible duplicate</span>
        ) : null}
        {row.warnings.length > 0 ? (
          <span className="badge badge-warn">
            {row.warnings.length} {row.warnings.length === 1 ? "warning" : "warnings"}
          </span>
        ) : null}
        {row.status === "paid" && row.paidAt ? (
          <span className="badge">Paid {row.paidAt.toISOString().slice(0, 10)}</span>
        ) : null}
      </span>
      {row.status === "draft" && row.rejectedAt ? (
        <span className="rejected-note">
          Rejected by {row.rejectedByName ?? "a former member"}
          {row.rejectionReason ? `: “${row.rejectionReason}”` : ""}
        </span>
      ) : null}
    </Link>
  );
}
