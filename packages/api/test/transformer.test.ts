import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { serializeOutput } from "../src/transformer";

/*
 * The server writes its outputs in superjson's wire format itself (transformer.ts). For every
 * shape a procedure returns, the bytes must be exactly superjson's, so that every client (which
 * decodes with superjson) reads the same values, Dates included.
 */

// A new Date each time: superjson records an object met twice (a repeated identity), which the
// server's serializer does not (see the last test).
const day = () => new Date("2026-11-02T10:00:00.000Z");
const date = day();

const same: Array<[string, unknown]> = [
  [
    "a list page",
    { items: [{ id: "i1", total: "119.00", createdAt: day(), approvedAt: null }], next: null },
  ],
  [
    "nested arrays and objects",
    { a: [[1, 2], { b: [day(), { c: day() }] }], d: { e: { f: "x" } } },
  ],
  ["undefined in objects and arrays", { a: undefined, b: [undefined, 1], c: { d: undefined } }],
  ["keys with dots and backslashes", { "a.b": day(), "c\\d": day(), "e\\.f": { "g.h": day() } }],
  ["an empty object, an empty array", { a: {}, b: [] }],
  ["a root array", [day(), { x: day() }, "s", 1, true, null]],
  ["scalars", "text"],
  ["a number", 42],
  ["null", null],
  ["an object without a prototype", Object.assign(Object.create(null), { a: day() })],
];

const delegated: Array<[string, unknown]> = [
  ["undefined at the root", undefined],
  ["a Date at the root", date],
  ["a bigint", { n: 10n }],
  ["NaN and -0", { n: Number.NaN, m: -0 }],
  ["a Map", { m: new Map([["a", 1]]) }],
  ["an invalid Date", { d: new Date(Number.NaN) }],
];

describe("serializeOutput", () => {
  it.each(same)("writes %s exactly as superjson does", (_name, value) => {
    expect(JSON.stringify(serializeOutput(value))).toBe(JSON.stringify(superjson.serialize(value)));
    expect(superjson.deserialize(serializeOutput(value))).toEqual(value);
  });

  it.each(delegated)("hands %s to superjson", (_name, value) => {
    expect(serializeOutput(value)).toEqual(superjson.serialize(value));
  });

  it("writes an object met twice twice, which decodes to equal values", () => {
    const shared = { at: date };
    const decoded = superjson.deserialize<{ a: unknown; b: unknown }>(
      serializeOutput({ a: shared, b: shared }),
    );
    expect(decoded.a).toEqual(shared);
    expect(decoded.b).toEqual(shared);
    expect((decoded.a as { at: Date }).at).toBeInstanceOf(Date);
  });

  it("leaves the value it writes as it was (it may be the json itself)", () => {
    const value = { items: [{ at: day(), gone: undefined }, { at: day() }], n: 1 };
    const before = structuredClone(value);
    JSON.stringify(serializeOutput(value));
    JSON.stringify(serializeOutput({ items: value.items.slice(1) }));
    expect(value).toEqual(before);
    expect(value.items[0]?.at).toBeInstanceOf(Date);
  });
});
