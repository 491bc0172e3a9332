import type { SortCursor } from "./invoice-cursor";

/*
 * A search's page under a column sort, chosen from its matches' sort keys (drizzle/0020):
 * search_inbox_matches hands over every match with its invoice date, due date and total in
 * cents, read from the rows its scan already read, so the page's statement reads only the rows
 * of the page instead of every match again. The order is exactly the sorted page's
 * (invoice-sorted-page.ts): rows with a value first, by value then id, both in the sort's
 * direction; then the rows without one, by id in the same direction.
 */

/** One match: its id and its value of the sorted column as PostgreSQL prints it (null: none). */
export interface SortKeyed {
  id: string;
  key: string | null;
}

export interface KeyOrder {
  /** How the values compare: dates as ISO text, cents as whole numbers. */
  type: "date" | "bigint";
  ascending: boolean;
}

/** Negative, zero or positive as a sorts before, with or after b in ascending order. */
function compareKeys(a: string, b: string, type: KeyOrder["type"]): number {
  if (type === "bigint") {
    const [x, y] = [BigInt(a), BigInt(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  }
  // `YYYY-MM-DD`: text order is date order.
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Ids compare as PostgreSQL compares uuids (byte by byte): the same as their canonical
 * lower-case text, whose hex digits sort in the bytes' order and whose dashes stand in the same
 * places in every id.
 */
const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The matches' order in the sorted page: negative when a comes first. */
export function comparePageOrder(a: SortKeyed, b: SortKeyed, order: KeyOrder): number {
  const direction = order.ascending ? 1 : -1;
  if (a.key !== null && b.key !== null) {
    const byKey = compareKeys(a.key, b.key, order.type);
    return direction * (byKey !== 0 ? byKey : compareIds(a.id, b.id));
  }
  if (a.key !== null) return -1;
  if (b.key !== null) return 1;
  return direction * compareIds(a.id, b.id);
}

/**
 * The ids of the first `count` matches after the cursor (or from the start), in page order.
 * The page's statement then reads these rows only, under the same conditions and cursor, and
 * orders them itself; given at least limit + 1 of them where there are so many, it finds the
 * same page and the same next cursor as it would among all the matches.
 */
export function firstAfter(
  matches: SortKeyed[],
  order: KeyOrder,
  after: SortCursor | undefined,
  count: number,
): string[] {
  const following = after
    ? matches.filter((match) => comparePageOrder(match, after, order) > 0)
    : [...matches];
  return following
    .sort((a, b) => comparePageOrder(a, b, order))
    .slice(0, count)
    .map((match) => match.id);
}
