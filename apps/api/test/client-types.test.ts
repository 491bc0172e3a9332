import type { AppRouter as ServerRouter } from "@remit/api";
import type { AppRouter, RemitInputs, RemitOutputs } from "@remit/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { describe, expect, expectTypeOf, it } from "vitest";

/*
 * The typed client publishes its own router type (packages/client/src/router.ts): the server's,
 * written out with plain types and without its context and meta. `pnpm check` type-checks this
 * file, and fails if that rewriting changed what any procedure takes or returns.
 * Assignability both ways rather than expectTypeOf's toEqualTypeOf: the latter reports a named
 * union under an index signature (invoice.get's fieldSources) as different from the same union
 * written out, which TypeScript itself accepts either way.
 */
type Interchangeable<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

describe("the client's router type", () => {
  it("takes and returns what the server's router does", () => {
    const inputs: Interchangeable<RemitInputs, inferRouterInputs<ServerRouter>> = true;
    const outputs: Interchangeable<RemitOutputs, inferRouterOutputs<ServerRouter>> = true;
    expect([inputs, outputs]).toEqual([true, true]);
  });

  it("carries nothing of the server's request context or procedure meta", () => {
    expectTypeOf<AppRouter["_def"]["_config"]["$types"]["ctx"]>().toEqualTypeOf<object>();
    expectTypeOf<AppRouter["_def"]["_config"]["$types"]["meta"]>().toEqualTypeOf<object>();
  });
});
