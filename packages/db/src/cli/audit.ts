import { auditDatabase, formatAuditReport } from "../audit";
import { createDb } from "../client";
import { describeTarget, parseEnv } from "./env";

// `pnpm db:audit`: read the live catalog and exit non-zero unless isolation holds.
const env = parseEnv();
const handle = createDb({
  url: env.DATABASE_URL,
  dataDir: `${env.REMIT_DATA_DIR}/pglite`,
  maxConnections: 1,
});
try {
  const report = await auditDatabase(handle.db);
  console.log(`Audit of ${describeTarget(env)}\n${formatAuditReport(report)}`);
  process.exitCode = report.ok ? 0 : 1;
} finally {
  await handle.close();
}
