import { cpus } from "node:os";
import { type ApiProcess, startApi } from "@remit/testkit";
import { parseArgs } from "./args";
import { type CheckResult, committedWrites, jobs, unverifiedIds } from "./checks";
import { connect, type Sql, waitForQuietServer } from "./database";
import {
  exhaustPool,
  type FaultOutcome,
  killWorkerMidJob,
  restartPostgres,
  terminateConnections,
  type Workers,
  workerPool,
} from "./faults";
import { LoadRun } from "./load";
import { writeDocsSection } from "./report";
import { seedTenants } from "./seed";
import { describe, figures, recovery } from "./stats";

/*
 * pnpm test:load: mixed traffic from many tenants against a real API process on PostgreSQL, and
 * four faults injected while it runs: the API's connections terminated, an OCR worker killed
 * mid-job, PostgreSQL restarted, the pool exhausted. After each, the data is checked in the
 * database. Loopback only; it stops by itself; exit code 1 on any failure.
 */

const args = parseArgs(process.argv.slice(2));
const serverUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
// The testkit makes the API's fresh database on this server.
process.env.TEST_DATABASE_URL = serverUrl;
const restartCommand =
  process.env.LOAD_PG_RESTART ?? "pg_ctlcluster --skip-systemctl-redirect 15 main restart";
const leaseSeconds = 3;
const requestTimeoutMs = 15_000;
const apiEnv = {
  OCR_LEASE_SECONDS: String(leaseSeconds),
  OCR_RETRY_BASE_SECONDS: "0.2",
  OCR_RETRY_MAX_SECONDS: "1",
  WEB_DIST_DIR: "off",
  LOG_LEVEL: process.env.LOAD_API_LOG_LEVEL ?? "fatal",
};

const started = performance.now();
const report: string[] = [];
const say = (line: string) => {
  report.push(line);
  console.log(line);
};
let failed = false;
const fail = (why: string) => {
  failed = true;
  say(`  FAILED: ${why}`);
};

let api: ApiProcess | undefined;
let smallPool: ApiProcess | undefined;
let workers: Workers | undefined;
let run: LoadRun | undefined;
let sql: Sql | undefined;

async function cleanUp() {
  await run?.stop().catch(() => {});
  await Promise.all((workers?.list ?? []).map((w) => w.process.kill("SIGKILL")));
  await smallPool?.stop().catch(() => {});
  await sql?.end({ timeout: 5 }).catch(() => {});
  await api?.stop().catch(() => {});
}
process.on("SIGINT", () => {
  cleanUp().finally(() => process.exit(130));
});

function sleepUntil(ms: number) {
  const wait = ms - (run?.now() ?? 0);
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)));
}

function printChecks(checks: CheckResult[]) {
  for (const check of checks) {
    say(`  check ${check.name}: ${check.ok ? "ok" : "FAILED"}: ${check.detail}`);
    if (!check.ok) failed = true;
  }
}

try {
  api = await startApi(apiEnv);
  if (!api.databaseUrl) throw new Error("the API is not on PostgreSQL");
  const database = new URL(api.databaseUrl).pathname.slice(1);
  sql = connect(api.databaseUrl);
  // A second server on the same database with a pool of two, for the pool fault.
  smallPool = await startApi({ ...apiEnv, DATABASE_URL: api.databaseUrl, DATABASE_POOL_SIZE: "2" });
  const tenants = await seedTenants(api.url, args.tenants);
  workers = workerPool(api.url, { POLL_INTERVAL_MS: "100" });
  workers.start();
  workers.start();
  const [version] = await sql<{ v: string }[]>`select current_setting('server_version') as v`;
  say(
    `pnpm test:load: ${args.seconds} s of load, ${args.connections} connections, ${tenants.length} tenants × 2 members; ` +
      `PostgreSQL ${version?.v}, Node ${process.versions.node}, ${cpus().length} cores (API, 2 workers and the load generator share them)`,
  );
  say(
    `seeded in ${((performance.now() - started) / 1000).toFixed(1)} s: per tenant 3 suppliers, 20 invoices, 2 uploaded PDFs; API pool 10; OCR lease ${leaseSeconds} s`,
  );

  run = new LoadRun(api.url, tenants, requestTimeoutMs);
  run.start(args.connections);
  const total = args.seconds * 1000;
  const current = run;
  let quiet = { quiet: true, waitedMs: 0 };
  const faults: Array<{
    key: string;
    at: number;
    name: string;
    inject: () => Promise<FaultOutcome>;
  }> = [
    {
      key: "terminate",
      at: 0.15 * total,
      name: "1. connections terminated",
      inject: () => terminateConnections(api as ApiProcess, sql as Sql, database),
    },
    {
      key: "worker",
      at: 0.3 * total,
      name: "2. worker killed mid-job",
      inject: () =>
        killWorkerMidJob(
          api as ApiProcess,
          sql as Sql,
          tenants[0] as (typeof tenants)[number],
          workers as Workers,
          leaseSeconds,
        ),
    },
    {
      key: "restart",
      at: 0.55 * total,
      name: "3. PostgreSQL restarted",
      inject: () => restartPostgres(api as ApiProcess, restartCommand, quiet),
    },
    {
      key: "pool",
      at: 0.8 * total,
      name: "4. pool exhausted",
      inject: () =>
        exhaustPool(smallPool as ApiProcess, sql as Sql, tenants, {
          burst: 120,
          lockMs: 3000,
          boundMs: requestTimeoutMs,
        }),
    },
  ];
  const windows: Array<{
    name: string;
    from: number;
    outcome: FaultOutcome;
    checks: CheckResult[];
  }> = [];
  for (const fault of faults.filter((f) => args.faults.has(f.key))) {
    await sleepUntil(fault.at);
    // A restart waits for other test runs on the server first; that wait is not the fault's.
    if (fault.key === "restart") quiet = await waitForQuietServer(180_000);
    const from = current.now();
    const outcome = await fault.inject();
    const checks = [await committedWrites(sql, current), await jobs(sql, false)];
    windows.push({ name: fault.name, from, outcome, checks });
    if (api.child.exitCode !== null || api.child.signalCode !== null) break;
  }
  await sleepUntil(total);
  await current.stop();
  const end = current.now();

  say("");
  say(
    `steady load (before the first fault): ${describe(figures(current.samples, 0, windows[0]?.from ?? end))}`,
  );
  const steady = figures(current.samples, 0, windows[0]?.from ?? end);
  if (steady.fiveXx > 0) fail("5xx answers under steady load");
  for (const [i, w] of windows.entries()) {
    const to = windows[i + 1]?.from ?? end;
    const f = figures(current.samples, w.from, to);
    const rec = recovery(current.samples, w.from, to);
    say("");
    say(`${w.name} at +${(w.from / 1000).toFixed(1)} s: ${w.outcome.injected}`);
    for (const finding of w.outcome.findings) say(`  ${finding}`);
    say(`  load until the next fault: ${describe(f)}`);
    say(
      rec > 0
        ? `  recovery: the last failed request ended ${(rec / 1000).toFixed(2)} s after the injection`
        : "  recovery: no request failed",
    );
    if (!w.outcome.ok) fail(`${w.name}: the fault's own checks did not hold`);
    if (f.bare5xx > 0) fail(`${f.bare5xx} 5xx answers without a 503 sentence`);
    if (f.fiveXx > 0 && !/terminated|restarted/.test(w.name))
      fail("5xx answers in a fault that should cause none");
    printChecks(w.checks);
  }

  say("");
  const alive = api.child.exitCode === null && api.child.signalCode === null;
  say(
    `API process: ${alive ? "still the same process, never restarted" : `EXITED (${api.child.exitCode ?? api.child.signalCode})`}`,
  );
  if (!alive) failed = true;
  // Let the workers finish what is queued, then the final checks.
  const settleBy = Date.now() + 90_000;
  while (Date.now() < settleBy) {
    const [open] = await sql<{ n: number }[]>`
      select count(*)::int as n from ocr_jobs where status in ('queued', 'running')`;
    if ((open?.n ?? 0) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  printChecks([
    await committedWrites(sql, current),
    await jobs(sql, true),
    await unverifiedIds(sql, current),
  ]);
  const all = figures(current.samples, 0, end);
  say("");
  say(`whole run: ${describe(all)}`);
  say(
    `isolation: ${current.isolationErrors.length} responses with another tenant's data (every list, get and write answer checked)`,
  );
  for (const error of current.isolationErrors.slice(0, 10)) say(`  ${error}`);
  if (current.isolationErrors.length > 0) failed = true;
  if (all.timeouts > 0)
    fail(`${all.timeouts} requests had no answer within ${requestTimeoutMs} ms`);
  if (all.network > 0) fail(`${all.network} requests could not reach the API`);
  if (all.bare5xx > 0) fail(`${all.bare5xx} 5xx answers without a 503 sentence`);
  say(`${failed ? "FAILED" : "passed"} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (args.writeDocs) {
    writeDocsSection(
      "Figures of one run on the development machine (`pnpm test:load --write-docs` rewrites this section).",
      report,
    );
  }
} catch (error) {
  console.error(error);
  failed = true;
} finally {
  await cleanUp();
}
process.exit(failed ? 1 : 0);
