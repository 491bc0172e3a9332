import { createDb } from "../client";
import { migrate } from "../migrate";
import { describeTarget, parseEnv } from "./env";

// `pnpm db:migrate`: apply pending migrations to DATABASE_URL, or to the embedded database.
const env = parseEnv();
const handle = createDb({
  url: env.DATABASE_URL,
  dataDir: `${env.REMIT_DATA_DIR}/pglite`,
  maxConnections: 1,
});
try {
  const started = performance.now();
  await migrate(handle);
  console.log(`Migrated ${describeTarget(env)} in ${Math.round(performance.now() - started)} ms`);
} finally {
  await handle.close();
}
