import { describe, expect, it } from "vitest";
import type { SortCursor } from "../src/queries/invoice-cursor";
import { firstAfter, type KeyOrder, type SortKeyed } from "../src/queries/search-sorted-ids";

// Ids in their uuid (byte) order: a < b < c < d < e < f.
const id = (n: string) => `${n.repeat(8)}-0000-4000-8000-000000000000`;
const [a, b, c, d, e, f] = ["a", "b", "c", "d", "e", "f"].map(id) as [
  string,
  string,
  string,
  string,
  string,
  string,
];

const amounts: SortKeyed[] = [
  { id: d, key: "100" },
  { id: a, key: null },
  { id: f, key: "-5" },
  { id: b, key: "99" },
  { id: e, key: null },
  { id: c, key: "100" },
];
const highestFirst: KeyOrder = { type: "bigint", ascending: false };
const lowestFirst: KeyOrder = { type: "bigint", ascending: true };
const cursor = (key: string | null, at: string): SortCursor => ({ sort: "totalDesc", key, id: at });

describe("a search's page in a column's order, from its matches' keys", () => {
  it("orders by value as a number, id in the same direction on ties, then those without one", () => {
    // "100" > "99" as numbers (not as text); c and d tie at 100; a and e have no total.
    expect(firstAfter(amounts, highestFirst, undefined, 10)).toEqual([d, c, b, f, e, a]);
    expect(firstAfter(amounts, lowestFirst, undefined, 10)).toEqual([f, b, c, d, a, e]);
  });

  it("continues after a cursor among the values, and into the rows without one", () => {
    expect(firstAfter(amounts, highestFirst, cursor("100", d), 10)).toEqual([c, b, f, e, a]);
    expect(firstAfter(amounts, highestFirst, cursor("100", c), 2)).toEqual([b, f]);
    expect(firstAfter(amounts, highestFirst, cursor("-5", f), 10)).toEqual([e, a]);
  });

  it("continues after a cursor among the rows without a value by id alone", () => {
    expect(firstAfter(amounts, highestFirst, cursor(null, e), 10)).toEqual([a]);
    expect(firstAfter(amounts, lowestFirst, cursor(null, a), 10)).toEqual([e]);
    expect(firstAfter(amounts, highestFirst, cursor(null, a), 10)).toEqual([]);
  });

  it("orders dates as dates, and leaves the matches it was given as they were", () => {
    const dates: SortKeyed[] = [
      { id: a, key: "2026-02-01" },
      { id: b, key: "2025-12-31" },
      { id: c, key: null },
      { id: d, key: "2026-01-15" },
    ];
    const before = structuredClone(dates);
    expect(firstAfter(dates, { type: "date", ascending: true }, undefined, 3)).toEqual([b, d, a]);
    expect(firstAfter(dates, { type: "date", ascending: false }, undefined, 4)).toEqual([
      a,
      d,
      b,
      c,
    ]);
    expect(dates).toEqual(before);
  });
});
