import superjson, { type SuperJSONResult } from "superjson";

/*
 * The wire format stays superjson's (the web app, @remit/client, the worker and every test decode
 * with superjson), but the server writes it itself for what procedures return: plain objects,
 * arrays, strings, finite numbers, booleans, null, undefined and Dates. superjson's own serialize
 * walks every value with a general type registry and records repeated object identities; on
 * invoice.list it was 11% of the server's CPU. Anything else (a bigint, a Map, NaN, a class
 * instance, a root-level Date, a structure deeper than maxDepth) is handed to superjson whole, so
 * the output is always exactly what superjson.deserialize expects.
 *
 * One difference, harmless for data: an object that appears twice is written twice (superjson
 * would mark the second as the same object); the client gets two equal copies.
 */

const maxDepth = 64;

class NeedsSuperjson extends Error {}
const needsSuperjson = new NeedsSuperjson();

/** superjson's path syntax: keys joined by ".", with "\\" and "." in a key escaped. */
function escapeKey(key: string): string {
  return key.includes("\\") || key.includes(".")
    ? key.replace(/\\/g, "\\\\").replace(/\./g, "\\.")
    : key;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

export function serializeOutput(value: unknown): SuperJSONResult {
  const annotations: Record<string, [string]> = {};
  let annotated = false;
  // The path of the value being walked, as keys; joined into superjson's path only for the few
  // values that need an annotation (building a path string for every value was most of the
  // walk's cost on a page of invoices).
  const keys: string[] = [];
  const annotate = (kind: string) => {
    annotations[keys.join(".")] = [kind];
    annotated = true;
  };

  const walk = (item: unknown, depth: number): unknown => {
    if (item === null || typeof item === "string" || typeof item === "boolean") return item;
    if (typeof item === "number") {
      if (!Number.isFinite(item) || Object.is(item, -0)) throw needsSuperjson;
      return item;
    }
    if (item === undefined) {
      annotate("undefined");
      return null;
    }
    if (typeof item !== "object" || depth > maxDepth) throw needsSuperjson;
    if (item instanceof Date) {
      const time = item.getTime();
      if (Number.isNaN(time)) throw needsSuperjson;
      annotate("Date");
      return item.toISOString();
    }
    if (Array.isArray(item)) {
      const out = new Array<unknown>(item.length);
      for (let i = 0; i < item.length; i++) {
        keys.push(String(i));
        out[i] = walk(item[i], depth + 1);
        keys.pop();
      }
      return out;
    }
    if (!isPlainObject(item)) throw needsSuperjson;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(item)) {
      keys.push(escapeKey(key));
      out[key] = walk(item[key], depth + 1);
      keys.pop();
    }
    return out;
  };

  // A root that is itself a Date or undefined has a different shape of annotation: superjson's.
  if (value === undefined || value instanceof Date) return superjson.serialize(value);
  try {
    const json = walk(value, 0) as SuperJSONResult["json"];
    if (!annotated) return { json };
    // A flat map of paths is one of the shapes superjson's annotation tree takes.
    const values = annotations as unknown as NonNullable<SuperJSONResult["meta"]>["values"];
    return { json, meta: { values, v: 1 } };
  } catch (error) {
    if (error === needsSuperjson) return superjson.serialize(value);
    throw error;
  }
}

/** tRPC's transformer: inputs as superjson, outputs through serializeOutput. */
export const transformer = {
  input: superjson,
  output: { serialize: serializeOutput, deserialize: superjson.deserialize.bind(superjson) },
};
