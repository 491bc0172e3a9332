import { invoiceStatuses } from "@remit/rules";
import type { Inputs, InvoiceStatus } from "../../lib/trpc";

/*
 * The inbox's state lives in the address (shareable, survives a reload): tab, search, sort and
 * the column filters. A saved view is the same object, stored by the server for its owner.
 */

type ListInput = NonNullable<Inputs["invoice"]["list"]>;
export type InboxSort = NonNullable<ListInput["sort"]>;
export type InboxQuery = Omit<ListInput, "cursor" | "limit" | "mine">;

export const sortLabels: Record<InboxSort, string> = {
  newest: "Newest first",
  oldest: "Oldest first",
  invoiceDateDesc: "Invoice date, latest first",
  invoiceDateAsc: "Invoice date, earliest first",
  dueDateAsc: "Due date, soonest first",
  dueDateDesc: "Due date, latest first",
  totalDesc: "Amount, highest first",
  totalAsc: "Amount, lowest first",
};
export const sorts = Object.keys(sortLabels) as InboxSort[];

/** Each filter's key in the address. */
const paramOf = {
  supplierId: "supplier",
  invoiceDateFrom: "from",
  invoiceDateTo: "to",
  totalMin: "min",
  totalMax: "max",
  due: "due",
  hasWarnings: "warnings",
  possibleDuplicate: "dup",
} as const;
export type FilterKey = keyof typeof paramOf;
export const filterKeys = Object.keys(paramOf) as FilterKey[];

export function queryFromParams(params: URLSearchParams): InboxQuery {
  const status = params.get("status") as InvoiceStatus | null;
  const sort = params.get("sort") as InboxSort | null;
  const due = params.get("due");
  const text = (key: string) => params.get(key) || undefined;
  const flag = (key: string) => (params.get(key) === "1" ? true : undefined);
  return {
    status: status && invoiceStatuses.includes(status) ? status : undefined,
    q: text("q"),
    sort: sort && sorts.includes(sort) ? sort : "newest",
    supplierId: text(paramOf.supplierId),
    invoiceDateFrom: text(paramOf.invoiceDateFrom),
    invoiceDateTo: text(paramOf.invoiceDateTo),
    totalMin: text(paramOf.totalMin),
    totalMax: text(paramOf.totalMax),
    due: due === "overdue" || due === "dueSoon" ? due : undefined,
    hasWarnings: flag(paramOf.hasWarnings),
    possibleDuplicate: flag(paramOf.possibleDuplicate),
  };
}

/** The address parameters for a query: every key, null where unset (so it is removed). */
export function paramsFromQuery(query: InboxQuery): Record<string, string | null> {
  const out: Record<string, string | null> = {
    status: query.status ?? null,
    q: query.q ?? null,
    sort: query.sort && query.sort !== "newest" ? query.sort : null,
  };
  for (const key of filterKeys) {
    const value = query[key];
    out[paramOf[key]] = value === true ? "1" : typeof value === "string" ? value : null;
  }
  return out;
}

/** Only what is set: the list's input and a saved view's query. */
export function compact(query: InboxQuery): InboxQuery {
  return Object.fromEntries(
    Object.entries(query).filter(([, v]) => v !== undefined && v !== false && v !== ""),
  ) as InboxQuery;
}

export const activeFilters = (query: InboxQuery) =>
  filterKeys.filter((key) => query[key] !== undefined && query[key] !== false).length;

/**
 * A range or due filter reads an index range only when the list is sorted by its column
 * (docs/scaling.md): setting one while the list is in received order sorts by that column.
 */
export function sortFor(query: InboxQuery, changed: FilterKey): InboxSort | undefined {
  const received = query.sort === "newest" || query.sort === "oldest" || !query.sort;
  if (!received) return query.sort;
  if ((changed === "invoiceDateFrom" || changed === "invoiceDateTo") && query[changed]) {
    return "invoiceDateDesc";
  }
  if ((changed === "totalMin" || changed === "totalMax") && query[changed]) return "totalDesc";
  if (changed === "due" && query.due) return "dueDateAsc";
  return query.sort;
}
