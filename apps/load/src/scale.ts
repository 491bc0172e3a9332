import { cpus, loadavg } from "node:os";
import { leaderLockKey } from "@remit/db";
import {
  type ApiProcess,
  type FreshDatabase,
  freshDatabase,
  type RoundRobinProxy,
  startApi,
  startProxy,
} from "@remit/testkit";
import { parseArgs } from "./args";
import { type CheckResult, committedWrites, jobs, unverifiedIds } from "./checks";
import { connect, type Sql } from "./database";
import { type Workers, workerPool } from "./faults";
import { LoadRun } from "./load";
import { writeDocsSection } from "./report";
import { type SeededTenant, seedTenants } from "./seed";
import { describe, figures } from "./stats";
import { type LiveStream, openStream } from "./stream";
import { call } from "./trpc-http";

/*
 * pnpm test:scale: two API processes and two OCR workers behind a round-robin proxy on loopback,
 * on one fresh PostgreSQL database, under the mixed load of test:load (its seeding, operations
 * and checks). Live subscribers of every tenant are connected to each API process directly. It
 * checks that an event caused through one process reaches a subscriber of the other, SIGKILLs
 * the API process that runs the periodic tasks mid-load, and checks that the other keeps
 * serving, takes the tasks over, loses no acknowledged write, and that nothing of one tenant
 * reached another (answers and live events). Every wait is bounded; exit code 1 on any failure.
 */

const args = parseArgs(process.argv.slice(2), { seconds: 40, connections: 16, tenants: 4 });
const serverUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const requestTimeoutMs = 15_000;
const periodicCheckSeconds = 1;

const started = performance.now();
const report: string[] = [];
const say = (line: string) => {
  report.push(line);
  console.log(line);
};
let failed = false;
const check = (ok: boolean, line: string) => {
  say(`  ${ok ? "ok" : "FAILED"}: ${line}`);
  if (!ok) failed = true;
};

let database: FreshDatabase | undefined;
let proxy: RoundRobinProxy | undefined;
const apis: ApiProcess[] = [];
let workers: Workers | undefined;
let run: LoadRun | undefined;
let sql: Sql | undefined;
const streams: Array<{ api: ApiProcess; tenant: number; stream: LiveStream }> = [];

async function cleanUp() {
  await run?.stop().catch(() => {});
  await Promise.all(streams.map((s) => s.stream.close()));
  await Promise.all((workers?.list ?? []).map((w) => w.process.kill("SIGKILL")));
  await Promise.all(apis.map((api) => api.stop().catch(() => {})));
  await proxy?.close().catch(() => {});
  await sql?.end({ timeout: 5 }).catch(() => {});
  await database?.drop().catch(() => {});
}
process.on("SIGINT", () => {
  cleanUp().finally(() => process.exit(130));
});

/** The pid of the API process holding the periodic tasks' leader lock, from pg_locks. */
async function periodicHolder(db: Sql): Promise<number | null> {
  const [row] = await db<{ name: string }[]>`
    select a.application_name as name from pg_locks l join pg_stat_activity a using (pid)
    where l.locktype = 'advisory' and l.granted and l.objsubid = 2
      and l.objid = ${String(leaderLockKey("remit.periodic"))}::oid
      and l.database = (select oid from pg_database where datname = current_database())`;
  return row ? Number(row.name.replace("remit-leader ", "")) : null;
}

async function bounded<T>(probe: () => Promise<T | null>, timeoutMs: number): Promise<T | null> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return null;
}

/**
 * Creates an invoice through `via` until a subscriber hears one (its LISTEN may lag its
 * connection by a moment), then once more, timed from sending the request: when the event was
 * heard, and when the answer came (the event is sent after the commit, before the answer).
 */
async function eventAcross(
  via: string,
  tenant: SeededTenant,
  stream: LiveStream,
): Promise<{ heardMs: number; answeredMs: number } | null> {
  const token = tenant.members[0]?.token ?? "";
  const create = async () => {
    const outcome = await call(
      via,
      token,
      "invoice.create",
      "mutation",
      { invoiceNumber: `EVT-${crypto.randomUUID().slice(0, 8)}`, lineItems: [] },
      requestTimeoutMs,
    );
    if (!outcome.ok) throw new Error(`invoice.create: ${outcome.message}`);
    const id = (outcome.data as { id: string }).id;
    tenant.invoiceIds.push(id);
    return id;
  };
  let heard = false;
  for (let i = 0; i < 20 && !heard; i++) heard = await stream.heard(await create(), 500);
  if (!heard) return null;
  const sent = performance.now();
  let heardAt = 0;
  const creating = create();
  const watching = (async () => {
    const id = await creating;
    if (await stream.heard(id, 5000)) heardAt = stream.heardAt(id) ?? performance.now();
  })();
  await creating;
  const answeredMs = performance.now() - sent;
  await watching;
  return heardAt ? { heardMs: heardAt - sent, answeredMs } : null;
}

const timing = (t: { heardMs: number; answeredMs: number } | null) =>
  t === null
    ? "not heard"
    : `heard ${t.heardMs.toFixed(0)} ms after the request was sent (answered after ${t.answeredMs.toFixed(0)} ms)`;

function printChecks(results: CheckResult[]) {
  for (const result of results) check(result.ok, `${result.name}: ${result.detail}`);
}

try {
  database = await freshDatabase(serverUrl);
  const databaseUrl = database.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("no PostgreSQL database was made");
  proxy = await startProxy();
  // Every process answers for the proxy's address: tokens they mint are checked by the other.
  const apiEnv = {
    PUBLIC_URL: proxy.url,
    PERIODIC_CHECK_SECONDS: String(periodicCheckSeconds),
    OCR_LEASE_SECONDS: "3",
    OCR_RETRY_BASE_SECONDS: "0.2",
    OCR_RETRY_MAX_SECONDS: "1",
    WEB_DIST_DIR: "off",
    LOG_LEVEL: process.env.LOAD_API_LOG_LEVEL ?? "fatal",
  };
  // One after the other: the first applies the migrations.
  apis.push(await startApi(apiEnv, { database }));
  apis.push(await startApi(apiEnv, { database }));
  proxy.setTargets(apis.map((api) => api.url));
  sql = connect(databaseUrl);
  workers = workerPool(proxy.url, { POLL_INTERVAL_MS: "100" });
  workers.start();
  workers.start();
  const tenants = await seedTenants(proxy.url, args.tenants, {
    suppliers: 3,
    invoices: 10,
    uploads: 2,
  });
  const [version] = await sql<{ v: string }[]>`select current_setting('server_version') as v`;
  say(
    `pnpm test:scale: 2 API processes and 2 OCR workers behind a round-robin proxy on loopback; ` +
      `${args.seconds} s of load, ${args.connections} connections, ${tenants.length} tenants × 2 members; ` +
      `PostgreSQL ${version?.v}, Node ${process.versions.node}, ${cpus().length} cores shared by everything ` +
      `(load average ${loadavg()[0]?.toFixed(1)} at the start)`,
  );
  say(
    `seeded through the proxy in ${((performance.now() - started) / 1000).toFixed(1)} s (including start-up)`,
  );

  // Live subscribers: every tenant on each API process, directly.
  for (const api of apis) {
    for (const [i, tenant] of tenants.entries()) {
      streams.push({
        api,
        tenant: i,
        stream: await openStream(api.url, tenant.members[1]?.token ?? ""),
      });
    }
  }
  say("");
  say("live events across processes:");
  const [one, two] = apis as [ApiProcess, ApiProcess];
  const t0 = tenants[0] as SeededTenant;
  const streamOf = (api: ApiProcess, tenant: number) =>
    streams.find((s) => s.api === api && s.tenant === tenant)?.stream as LiveStream;
  for (const [from, to, name] of [
    [two, one, "B to a subscriber on A"],
    [one, two, "A to a subscriber on B"],
  ] as const) {
    const t = await eventAcross(from.url, t0, streamOf(to, 0));
    check(t !== null, `an invoice created through ${name}: ${timing(t)}`);
  }

  // The load, through the proxy.
  const current = new LoadRun(proxy.url, tenants, requestTimeoutMs);
  run = current;
  current.start(args.connections);
  const total = args.seconds * 1000;
  await new Promise((resolve) => setTimeout(resolve, 0.4 * total));
  const holderPid = await bounded(() => periodicHolder(sql as Sql), 10_000);
  const victim = apis.find((api) => api.child.pid === holderPid);
  const survivor = apis.find((api) => api !== victim);
  if (!victim || !survivor) throw new Error("no API process holds the periodic tasks' lock");
  say("");
  say(
    `SIGKILL of API ${victim === one ? "A" : "B"} (pid ${holderPid}, the one running the periodic tasks) at +${(current.now() / 1000).toFixed(1)} s`,
  );
  const killedAt = current.now();
  await victim.kill("SIGKILL");
  // Requests sent before the process was seen gone may have reached it; later ones cannot.
  const goneAt = current.now();
  const takeover = await bounded(
    async () => ((await periodicHolder(sql as Sql)) === survivor.child.pid ? current.now() : null),
    periodicCheckSeconds * 1000 * 10,
  );
  check(
    takeover !== null,
    takeover === null
      ? "the survivor did not take the periodic tasks over"
      : `the survivor took the periodic tasks over ${((takeover - killedAt) / 1000).toFixed(2)} s after the kill (it checks every ${periodicCheckSeconds} s)`,
  );
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, total - current.now())));
  await current.stop();
  const end = current.now();

  // What the load saw.
  say("");
  say(`before the kill: ${describe(figures(current.samples, 0, killedAt))}`);
  say(`after the kill: ${describe(figures(current.samples, killedAt, end + 1))}`);
  const failedAfter = current.samples.filter((s) => !s.ok && s.end >= killedAt);
  // In flight at the kill: sent to the victim before it died; the client cannot know whether
  // they were done, exactly as behind any load balancer. Anything sent later must succeed.
  const inFlight = failedAfter.filter((s) => s.start <= goneAt);
  const later = failedAfter.filter((s) => s.start > goneAt);
  const before = current.samples.filter((s) => !s.ok && s.end < killedAt);
  check(before.length === 0, `${before.length} failed requests before the kill`);
  check(
    later.length === 0,
    `the survivor kept serving: ${inFlight.length} requests sent before the victim was gone (${(goneAt - killedAt).toFixed(0)} ms after the signal) failed (${proxy.stats.badGateway} × 502 from the proxy), ${later.length} sent after it failed; ${proxy.stats.resent} re-sent by the proxy after a refused connection`,
  );
  for (const sample of later.slice(0, 5))
    say(
      `    ${sample.op} at +${(sample.start / 1000).toFixed(2)} s: ${sample.kind} ${sample.message}`,
    );

  // Live events: every acknowledged creation reached its tenant's subscriber on the survivor,
  // whichever process it went through; no subscriber heard another tenant's invoice.
  const uuids = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
  const heardIn = (stream: LiveStream) => new Set(stream.text().match(uuids) ?? []);
  const creations = current.committedInvoices;
  const unheard = () => {
    const survivorHeard = tenants.map((_, i) => heardIn(streamOf(survivor, i)));
    return creations.filter((c) => !survivorHeard[c.tenant]?.has(c.id)).length;
  };
  // The last acknowledgements' events may still be on their way to the reader: a few seconds.
  const missed = (await bounded(async () => (unheard() === 0 ? 0 : null), 5000)) ?? unheard();
  check(
    missed === 0,
    `${creations.length - missed} of ${creations.length} acknowledged creations heard by their tenant's subscriber on the surviving process (about half went through the other)`,
  );
  const owner = new Map<string, number>();
  for (const [i, t] of tenants.entries()) for (const id of t.invoiceIds) owner.set(id, i);
  let leakedEvents = 0;
  for (const { tenant, stream } of streams) {
    for (const id of heardIn(stream)) {
      const of = owner.get(id);
      if (of !== undefined && of !== tenant) {
        leakedEvents++;
        current.isolationErrors.push(
          `${tenants[tenant]?.label} heard invoice ${id} of ${tenants[of]?.label}`,
        );
      }
    }
  }
  check(leakedEvents === 0, `${leakedEvents} invoices of another tenant in any live stream`);

  // The survivor's listening connection is cut: subscribers are told to re-read, then hear on.
  say("");
  say("the survivor's listening connection terminated (pg_terminate_backend):");
  await sql`select pg_terminate_backend(pid) from pg_stat_activity
            where application_name = 'remit-events' and datname = current_database()`;
  const survivorStream = streamOf(survivor, 0);
  check(await survivorStream.heard("resync", 15_000), "its subscribers got a resync event");
  const afterResync = await eventAcross(proxy.url, t0, survivorStream);
  check(afterResync !== null, `and hear new events again: ${timing(afterResync)}`);

  // Let the workers finish what is queued, then the data checks of test:load.
  say("");
  const settleBy = Date.now() + 90_000;
  while (Date.now() < settleBy) {
    const [open] = await sql<{ n: number }[]>`
      select count(*)::int as n from ocr_jobs where status in ('queued', 'running')`;
    if ((open?.n ?? 0) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const writes = await committedWrites(sql, current);
  printChecks([writes, await jobs(sql, true), await unverifiedIds(sql, current)]);
  const crossTenant = current.isolationErrors.length;
  check(crossTenant === 0, `${crossTenant} answers or events with another tenant's data`);
  for (const error of current.isolationErrors.slice(0, 10)) say(`    ${error}`);
  const requests = current.samples.length;
  const lost = writes.failures ?? 0;
  say("");
  say(`${failed ? "FAILED" : "passed"} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  say(`test:scale: ${requests} requests, ${lost} lost, ${crossTenant} cross-tenant`);
  if (args.writeDocs) {
    writeDocsSection(
      "Figures of one run on the development machine (`pnpm test:scale --write-docs` rewrites this section).",
      report,
      { file: "scaling.md", heading: "## Measured: pnpm test:scale" },
    );
  }
} catch (error) {
  console.error(error);
  failed = true;
} finally {
  await cleanUp();
}
process.exit(failed ? 1 : 0);
