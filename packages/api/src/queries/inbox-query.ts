import { invoiceStatuses, moneyString } from "@remit/rules";
import { z } from "zod";

/*
 * What the clerk's inbox can be asked for beyond a status tab, "mine" and a search: the order and
 * the filters. One schema for invoice.list and for the saved views that restore it, so a view
 * saved today is checked by the same rules as the list it opens. A search combines with any of
 * them (invoice-inbox.ts, searchedPage).
 */

/** newest/oldest: by received date. The others: by that column, rows without a value last. */
export const inboxSorts = [
  "newest",
  "oldest",
  "invoiceDateAsc",
  "invoiceDateDesc",
  "dueDateAsc",
  "dueDateDesc",
  "totalAsc",
  "totalDesc",
] as const;
export type InboxSort = (typeof inboxSorts)[number];

const isoDate = z.iso.date();

export const inboxFilterFields = {
  supplierId: z.uuid().optional(),
  invoiceDateFrom: isoDate.optional(),
  invoiceDateTo: isoDate.optional(),
  totalMin: moneyString.optional(),
  totalMax: moneyString.optional(),
  /** overdue: due before today; dueSoon: due today or in the next 7 days. Locked ones are done. */
  due: z.enum(["overdue", "dueSoon"]).optional(),
  hasWarnings: z.boolean().optional(),
  possibleDuplicate: z.boolean().optional(),
};

export type InboxColumnFilters = {
  [K in keyof typeof inboxFilterFields]?: z.infer<(typeof inboxFilterFields)[K]> | undefined;
};

/** Whether any of the filters above is set (a search with them reads its page as they do). */
export function hasColumnFilters(input: InboxColumnFilters): boolean {
  return Object.keys(inboxFilterFields).some(
    (key) =>
      input[key as keyof InboxColumnFilters] !== undefined &&
      input[key as keyof InboxColumnFilters] !== false,
  );
}

/** Ranges that run backwards are a mistake worth a sentence, not an empty inbox. */
export function rangeProblems(input: InboxColumnFilters): string | null {
  if (input.invoiceDateFrom && input.invoiceDateTo && input.invoiceDateFrom > input.invoiceDateTo) {
    return "the invoice date range ends before it starts";
  }
  if (input.totalMin && input.totalMax && Number(input.totalMin) > Number(input.totalMax)) {
    return "the amount range's minimum is above its maximum";
  }
  return null;
}

/** A saved view: a tab, "mine", a search, the filters and the order (all optional). */
export const inboxViewQuery = z
  .object({
    status: z.enum(invoiceStatuses).optional(),
    mine: z.boolean().optional(),
    q: z.string().trim().max(200).optional(),
    sort: z.enum(inboxSorts).optional(),
    ...inboxFilterFields,
  })
  .strict();
export type InboxViewQuery = z.infer<typeof inboxViewQuery>;
