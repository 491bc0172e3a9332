import { seedFreshDataDir } from "@remit/db/image";
import { parseEnv } from "./env";

/*
 * The API's entry. A new embedded database starts as a copy of the migrated image `pnpm build`
 * made, not initdb. The copy starts first, in a `cp -R` process of its own, while the rest of
 * the server is imported (about a second: better-auth, Drizzle, PGlite, tRPC), so a first start
 * pays for the longer of the two instead of both (docs/benchmarks.md, bench:coldstart).
 */
const env = parseEnv(process.env);
const dataDirReady = env.DATABASE_URL
  ? Promise.resolve(false)
  : seedFreshDataDir(`${env.REMIT_DATA_DIR}/pglite`);
// Settled here too, so a failed copy is reported by the server's await, not as unhandled.
dataDirReady.catch(() => undefined);
const { startServer } = await import("./server");
await startServer(env, dataDirReady);
