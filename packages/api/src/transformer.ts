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
 *
 * In the common case (no undefined anywhere) nothing is copied: the output itself is the json,
 * its Dates left for JSON.stringify, which writes them as superjson does. Only the Dates' paths
 * are collected. The json is therefore only fit for JSON.stringify, which is all tRPC does with
 * it.
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

/** One step of a path as superjson writes it: an index as its digits, a key escaped. */
const pathKey = (key: string | number): string =>
  typeof key === "number" ? String(key) : escapeKey(key);

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

export function serializeOutput(value: unknown): SuperJSONResult {
  // A root that is itself a Date or undefined has a different shape of annotation: superjson's.
  if (value === undefined || value instanceof Date) return superjson.serialize(value);
  try {
    return scanned(value) ?? copied(value);
  } catch (error) {
    if (error === needsSuperjson) return superjson.serialize(value);
    throw error;
  }
}

/**
 * The common case, without copying: the output is handed on as it is, with a Date annotation at
 * each Date's path, since JSON.stringify writes a valid Date exactly as superjson does (its
 * toJSON is toISOString). undefined when the value holds an undefined, which JSON.stringify
 * would drop from an object (superjson writes null and annotates it): copied() handles that.
 */
function scanned(value: unknown): SuperJSONResult | undefined {
  const annotations: Record<string, [string]> = {};
  let annotated = false;
  // The path of the value being walked, as keys and indices; escaped and joined into
  // superjson's path only for the few values that need an annotation (a page of rows has
  // thousands of keys and a few dozen Dates).
  const keys: Array<string | number> = [];
  let sawUndefined = false;

  const scan = (item: unknown, depth: number): void => {
    if (item === null || typeof item === "string" || typeof item === "boolean") return;
    if (typeof item === "number") {
      if (!Number.isFinite(item) || Object.is(item, -0)) throw needsSuperjson;
      return;
    }
    if (item === undefined) {
      sawUndefined = true;
      return;
    }
    if (typeof item !== "object" || depth > maxDepth) throw needsSuperjson;
    if (item instanceof Date) {
      if (Number.isNaN(item.getTime())) throw needsSuperjson;
      annotations[keys.map(pathKey).join(".")] = ["Date"];
      annotated = true;
      return;
    }
    if (Array.isArray(item)) {
      for (let i = 0; i < item.length; i++) {
        keys.push(i);
        scan(item[i], depth + 1);
        keys.pop();
      }
      return;
    }
    if (!isPlainObject(item)) throw needsSuperjson;
    for (const key of Object.keys(item)) {
      keys.push(key);
      scan(item[key], depth + 1);
      keys.pop();
    }
  };

  scan(value, 0);
  if (sawUndefined) return undefined;
  if (!annotated) return { json: value as SuperJSONResult["json"] };
  // A flat map of paths is one of the shapes superjson's annotation tree takes.
  const values = annotations as unknown as NonNullable<SuperJSONResult["meta"]>["values"];
  return { json: value as SuperJSONResult["json"], meta: { values, v: 1 } };
}

/** A copy in superjson's form: Dates as ISO strings, undefined as null, each annotated. */
function copied(value: unknown): SuperJSONResult {
  const annotations: Record<string, [string]> = {};
  let annotated = false;
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
      if (Number.isNaN(item.getTime())) throw needsSuperjson;
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

  const json = walk(value, 0) as SuperJSONResult["json"];
  if (!annotated) return { json };
  const values = annotations as unknown as NonNullable<SuperJSONResult["meta"]>["values"];
  return { json, meta: { values, v: 1 } };
}

/** tRPC's transformer: inputs as superjson, outputs through serializeOutput. */
export const transformer = {
  input: superjson,
  output: { serialize: serializeOutput, deserialize: superjson.deserialize.bind(superjson) },
};
