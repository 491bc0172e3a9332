import { statusLabel } from "@remit/rules";
import type { Ref } from "react";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { OcrBadge } from "../../components/upload-panel";
import { formatMoney } from "../../lib/format";
import { mergeOcr, useLiveJob } from "../../lib/live";
import { Link } from "../../lib/router";
import type { InvoiceRow } from "../../lib/trpc";
import type { InboxSort } from "./query";

/** The supplier as linked, else as read from the document; "Unknown" only when nothing was read. */
export const supplierOf = (row: InvoiceRow) =>
  row.supplierName ?? row.readSupplierName ?? "Unknown supplier";

/** A column header that sorts: first click one way, the next the other. */
const sortable: Array<{ label: string; className: string; sorts: [InboxSort, InboxSort] }> = [
  { label: "Invoice date", className: "date", sorts: ["invoiceDateDesc", "invoiceDateAsc"] },
  { label: "Due date", className: "due", sorts: ["dueDateAsc", "dueDateDesc"] },
  { label: "Amount", className: "total", sorts: ["totalDesc", "totalAsc"] },
];

export function TableHead({
  sort,
  onSort,
  allSelected,
  onSelectAll,
}: {
  sort: InboxSort;
  onSort: (sort: InboxSort) => void;
  allSelected: boolean;
  onSelectAll: (selected: boolean) => void;
}) {
  const header = (label: string, className: string, sorts?: [InboxSort, InboxSort]) => {
    if (!sorts) {
      return (
        <span key={label} className={`cell ${className}`}>
          {label}
        </span>
      );
    }
    const at = sorts.indexOf(sort);
    const next = at === 0 ? sorts[1] : sorts[0];
    const arrow = at === -1 ? "" : sort.endsWith("Asc") ? " ↑" : " ↓";
    return (
      <Button
        key={label}
        className={`cell ${className} sort${at === -1 ? "" : " sorted"}`}
        aria-label={`Sort by ${label.toLowerCase()}`}
        aria-pressed={at !== -1}
        onClick={() => onSort(next)}
      >
        {label}
        {arrow}
      </Button>
    );
  };
  return (
    <div className="invoice-head">
      <input
        type="checkbox"
        aria-label="Select all shown"
        checked={allSelected}
        onChange={(e) => onSelectAll(e.target.checked)}
      />
      <div className="invoice-row head-row">
        {header("Supplier", "supplier")}
        {header("Number", "number")}
        {sortable.map((s) => header(s.label, s.className, s.sorts))}
        <Button
          className={`cell status sort${sort === "newest" || sort === "oldest" ? " sorted" : ""}`}
          aria-label="Sort by received date"
          onClick={() => onSort(sort === "newest" ? "oldest" : "newest")}
        >
          Status · received{sort === "newest" ? " ↓" : sort === "oldest" ? " ↑" : ""}
        </Button>
        {header("Reading", "ocr-cell")}
        {header("Warnings", "badges")}
        {header("File", "file")}
      </div>
    </div>
  );
}

export function InvoiceItem({
  row,
  selected,
  onSelect,
  linkRef,
  onFocus,
}: {
  row: InvoiceRow;
  selected: boolean;
  onSelect: (selected: boolean) => void;
  linkRef: Ref<HTMLAnchorElement>;
  onFocus: () => void;
}) {
  const live = useLiveJob(row.id);
  const ocr = mergeOcr({ status: row.ocrStatus }, live);
  const label = row.invoiceNumber ?? supplierOf(row);
  return (
    <>
      <input
        type="checkbox"
        aria-label={`Select ${label}`}
        checked={selected}
        onChange={(e) => onSelect(e.target.checked)}
      />
      <Link to={`/invoices/${row.id}`} className="invoice-row" ref={linkRef} onFocus={onFocus}>
        <span className="cell supplier">{supplierOf(row)}</span>
        <span className="cell number">{row.invoiceNumber ?? "No number yet"}</span>
        <span className="cell date">{row.invoiceDate ?? "No date"}</span>
        <span className="cell due">{row.dueDate ? `due ${row.dueDate}` : ""}</span>
        <span className="cell total">{formatMoney(row.total, row.currency)}</span>
        <span className={`cell status status-${row.status}`}>{statusLabel(row.status)}</span>
        <span className="cell ocr-cell">
          <OcrBadge status={ocr.status} progress={ocr.progress} error={ocr.lastError} />
        </span>
        <span className="cell badges">
          {row.isLocked ? <Badge>Locked</Badge> : null}
          {row.possibleDuplicateOf ? <Badge tone="warn">Possible duplicate</Badge> : null}
          {row.warnings.length > 0 ? (
            <Badge tone="warn" title={row.warnings.join("\n")}>
              {row.warnings.length} {row.warnings.length === 1 ? "warning" : "warnings"}
            </Badge>
          ) : null}
          {row.status === "paid" && row.paidAt ? (
            <Badge>Paid {row.paidAt.toISOString().slice(0, 10)}</Badge>
          ) : null}
        </span>
        <span className="cell file" title={row.fileName ?? undefined}>
          {row.fileName ?? ""}
        </span>
        {row.status === "draft" && row.rejectedAt ? (
          <span className="rejected-note">
            Rejected by {row.rejectedByName ?? "a former member"}
            {row.rejectionReason ? `: “${row.rejectionReason}”` : ""}
          </span>
        ) : null}
      </Link>
      {row.possibleDuplicateOf ? (
        <Link to={`/invoices/${row.possibleDuplicateOf}`} className="dup-link">
          Other copy
        </Link>
      ) : null}
    </>
  );
}
