import type { AppRouter as ServerRouter } from "@remit/api";
import type {
  AnyProcedure,
  AnyRouter,
  TRPCBuiltRouter,
  TRPCMutationProcedure,
  TRPCQueryProcedure,
  TRPCSubscriptionProcedure,
} from "@trpc/server";

/*
 * The router as a client sees it: every procedure's input and output, and nothing of the server.
 * The server's router type carries its request context and procedure meta (database handles,
 * services) and names the api package's own types; a client needs neither. Each alias below is
 * a conditional type on purpose: TypeScript drops the alias name of a conditional once it
 * resolves, so the declarations tsup writes for createRemitClient spell the router out in full,
 * with `object` for context and meta, and import nothing from the workspace.
 * Types only: no output validator runs on any call.
 */

/** Kept as they are: they cross the wire as themselves (superjson keeps Date). */
type Leaf = string | number | boolean | bigint | symbol | null | undefined | Date | Uint8Array;

/** A type written out structurally, so that no named server type (row, report) is referenced. */
type Plain<T> = T extends Leaf
  ? T
  : T extends AsyncIterable<infer Yield, infer Return, infer Next>
    ? AsyncIterable<Plain<Yield>, Return, Next>
    : T extends object
      ? { [K in keyof T]: Plain<T[K]> }
      : T;

type PublicProcedure<P> = P extends AnyProcedure
  ? P["_def"]["type"] extends "query"
    ? TRPCQueryProcedure<{
        input: Plain<P["_def"]["$types"]["input"]>;
        output: Plain<P["_def"]["$types"]["output"]>;
        meta: object;
      }>
    : P["_def"]["type"] extends "mutation"
      ? TRPCMutationProcedure<{
          input: Plain<P["_def"]["$types"]["input"]>;
          output: Plain<P["_def"]["$types"]["output"]>;
          meta: object;
        }>
      : TRPCSubscriptionProcedure<{
          input: Plain<P["_def"]["$types"]["input"]>;
          output: Plain<P["_def"]["$types"]["output"]>;
          meta: object;
        }>
  : never;

type PublicRecord<R> = R extends object
  ? {
      [K in keyof R]: R[K] extends AnyProcedure
        ? PublicProcedure<R[K]>
        : R[K] extends AnyRouter
          ? PublicRouter<R[K]>
          : PublicRecord<R[K]>;
    }
  : never;

type PublicRouter<R> = R extends AnyRouter
  ? TRPCBuiltRouter<
      {
        ctx: object;
        meta: object;
        errorShape: Plain<R["_def"]["_config"]["$types"]["errorShape"]>;
        transformer: R["_def"]["_config"]["$types"]["transformer"];
      },
      PublicRecord<R["_def"]["record"]>
    >
  : never;

/** The server's router with its context and meta left out; see above. */
export type ClientRouter = PublicRouter<ServerRouter>;
