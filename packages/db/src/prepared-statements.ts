import type { Sql } from "postgres";

/*
 * Drizzle hands every statement to postgres.js as `unsafe(text, params, { prepare: false })`
 * (only `.prepare("name")` queries are prepared). postgres.js then runs an unnamed statement,
 * and for one with parameters it first sends Parse + Describe and waits for the parameter types
 * before it can send Bind + Execute: a hidden extra round trip on every statement, and the
 * server parses and plans the text afresh each time.
 *
 * preparingStatements() returns the same client with that option turned over: each distinct
 * statement text is prepared once per connection (named, parsed once, its types known), and
 * every later use is a single Bind + Execute. Transactions (`begin`) and savepoints hand their
 * own scoped client to the callback; those are wrapped too, so statements inside a transaction
 * (every tenant-scoped request) are prepared as well.
 *
 * The set of statement texts is the code's own (Drizzle builds them with $n placeholders); a
 * connection keeps its statements until it is closed (postgres.js recycles connections after
 * max_lifetime). A transaction-mode pooler in front of PostgreSQL must support protocol-level
 * prepared statements (PgBouncer >= 1.21 with max_prepared_statements); otherwise turn this off
 * (DATABASE_PREPARE=false).
 */
export function preparingStatements<T extends Sql>(client: T): T {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property === "unsafe") {
        return (text: string, params?: unknown[], options?: Record<string, unknown>) =>
          (value as Sql["unsafe"]).call(target, text, params as never, {
            ...options,
            prepare: true,
          });
      }
      if (property === "begin" || property === "savepoint") {
        return (...args: unknown[]) => {
          const last = args.length - 1;
          const fn = args[last] as (scoped: Sql) => unknown;
          args[last] = (scoped: Sql) => fn(preparingStatements(scoped));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      // Everything else as it is: postgres.js's methods are closures, not `this`-bound.
      return value;
    },
  });
}
