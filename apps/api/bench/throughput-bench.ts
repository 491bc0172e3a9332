import { fork } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { plainFirstPageStatement } from "@remit/api";
import { createRemitClient, signUp } from "@remit/client";
import { startApi } from "@remit/testkit";
import postgres from "postgres";

/*
 * pnpm bench:api — what a tenant-scoped tRPC call costs against the bare minimum. The real API
 * (a separate process, over HTTP, with a session token) and a bare node:http + postgres.js
 * server (bare-server.ts) answer the same question — invoice.list's first page of a tenant with
 * `--invoices` invoices — on the same PostgreSQL database, the bare server with the very
 * statement the API sends for that page. Rounds alternate between the two,
 * each a fixed time at a fixed concurrency, so machine noise falls on both alike; the ratio of
 * the median throughputs is the figure. Ends with `bench:api: API/bare throughput ratio <r>`.
 *
 * Each round also prints the server process's own CPU time per answered call (Linux: from
 * /proc/<pid>/stat), PostgreSQL's, this process's (the load generator's) and how busy the whole
 * machine was. Both sides keep the two cores about equally busy (80–90 %), so the throughput
 * ratio follows what a call costs the machine in all (server, database and load generator
 * together), and those figures move less from run to run than the rates do.
 */

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "6" },
    seconds: { type: "string", default: "4" },
    concurrency: { type: "string", default: "8" },
    invoices: { type: "string", default: "1000" },
    warmup: { type: "string", default: "10" },
  },
});
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const invoiceCount = Number(values.invoices);
const warmupSeconds = Number(values.warmup);
const pageSize = 50;
// The bench's one reading of the environment: which PostgreSQL server to use.
const serverUrl = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";

const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
const name = `remit_bench_api_${Date.now()}`;
await admin`create database ${admin(name)}`;
const databaseUrl = Object.assign(new URL(serverUrl), { pathname: `/${name}` }).toString();

const api = await startApi({ DATABASE_URL: databaseUrl, LOG_LEVEL: "warn" });
const bare = { port: 0, stop: async () => {} };
try {
  const email = `bench-${Date.now()}@example.test`;
  const token = await signUp(api.url, { name: "Bench", email, password: "bench password 123" });
  const client = createRemitClient({ url: api.url, token });
  const tenant = await client.tenant.create.mutate({ name: "Bench", slug: `bench-${Date.now()}` });
  const me = await client.tenant.current.query();
  const db = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const [user] = await db<{ id: string }[]>`select id from users where email = ${email}`;
  await db`insert into invoices (tenant_id, created_by, invoice_number, total, currency)
    select ${tenant.id}, ${user?.id ?? ""}, 'B-' || n, (n % 1000) + 0.5, 'EUR'
    from generate_series(1, ${invoiceCount}) n`;
  await db`analyze invoices`;
  await db.end();
  console.log(`tenant with ${invoiceCount} invoices; role ${me.role}`);

  // The yardstick runs the statement the API runs for this page (bare-server.ts).
  const actor = { tenantId: tenant.id, userId: user?.id ?? "" };
  const statement = { ...plainFirstPageStatement(actor, pageSize, invoiceCount), limit: pageSize };
  const child = fork(
    fileURLToPath(new URL("./bare-server.ts", import.meta.url)),
    [databaseUrl, actor.tenantId, actor.userId, JSON.stringify(statement)],
    { execArgv: ["--import", "tsx"], stdio: "inherit" },
  );
  bare.port = await new Promise<number>((resolve, reject) => {
    child.once("message", (message) => resolve((message as { port: number }).port));
    child.once("exit", (code) => reject(new Error(`bare server exited (${code})`)));
  });
  bare.stop = async () => {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  };

  const apiRequest = {
    url: `${api.url}/api/trpc/invoice.list?input=${encodeURIComponent(JSON.stringify({ json: { limit: pageSize } }))}`,
    headers: { authorization: `Bearer ${token}` },
  };
  const bareRequest = { url: `http://127.0.0.1:${bare.port}/list`, headers: {} };

  // Warm both (JIT, prepared statements, pools) before anything is measured, as a server that has
  // been up for a while is: the API runs far more code than the bare server, and in a 1-second
  // warm-up its CPU per call was still falling round after round (7.1 ms in the first round to
  // 4.1 ms in the sixth), so the median measured its compilation more than its steady state.
  await load(apiRequest, warmupSeconds);
  await load(bareRequest, warmupSeconds);
  const figures: Record<"api" | "bare", number[]> = { api: [], bare: [] };
  const cpuPerCall: Record<"api" | "bare", number[]> = { api: [], bare: [] };
  const databaseCpuPerCall: Record<"api" | "bare", number[]> = { api: [], bare: [] };
  const loadCpuPerCall: Record<"api" | "bare", number[]> = { api: [], bare: [] };
  const machineBusy: Record<"api" | "bare", number[]> = { api: [], bare: [] };
  const pids = { api: api.child.pid ?? 0, bare: child.pid ?? 0 };
  for (let round = 0; round < rounds; round++) {
    // Alternate which goes first, so neither always follows the other.
    const order = round % 2 === 0 ? (["api", "bare"] as const) : (["bare", "api"] as const);
    for (const side of order) {
      const cpuBefore = cpuMs(pids[side]);
      const databaseBefore = postgresCpuMs();
      const loadBefore = process.cpuUsage();
      const machineBefore = machineJiffies();
      const rate = await load(side === "api" ? apiRequest : bareRequest, seconds);
      const cpuAfter = cpuMs(pids[side]);
      const databaseAfter = postgresCpuMs();
      const loadUsed = process.cpuUsage(loadBefore);
      const machineAfter = machineJiffies();
      figures[side].push(rate);
      const loadPerCall = (loadUsed.user + loadUsed.system) / 1000 / (rate * seconds);
      loadCpuPerCall[side].push(loadPerCall);
      const busy =
        machineBefore === null || machineAfter === null
          ? null
          : (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total);
      if (busy !== null) machineBusy[side].push(busy);
      const perCall =
        cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / (rate * seconds);
      if (perCall !== null) cpuPerCall[side].push(perCall);
      const databasePerCall =
        databaseBefore === null || databaseAfter === null
          ? null
          : (databaseAfter - databaseBefore) / (rate * seconds);
      if (databasePerCall !== null) databaseCpuPerCall[side].push(databasePerCall);
      const cpu =
        (perCall === null ? "" : `, server CPU ${perCall.toFixed(2)} ms per call`) +
        (databasePerCall === null ? "" : `, PostgreSQL ${databasePerCall.toFixed(2)} ms`) +
        `, load generator ${loadPerCall.toFixed(2)} ms` +
        (busy === null ? "" : `; machine ${(busy * 100).toFixed(0)} % busy`);
      console.log(`round ${round + 1} ${side.padEnd(4)} ${rate.toFixed(0)} req/s${cpu}`);
    }
  }
  if (cpuPerCall.api.length > 0 && cpuPerCall.bare.length > 0) {
    const apiCpu = median(cpuPerCall.api);
    const bareCpu = median(cpuPerCall.bare);
    console.log(
      `median server CPU per call: API ${apiCpu.toFixed(2)} ms, bare ${bareCpu.toFixed(2)} ms ` +
        `(bare/API ${(bareCpu / apiCpu).toFixed(2)})`,
    );
  }
  if (databaseCpuPerCall.api.length > 0 && databaseCpuPerCall.bare.length > 0) {
    console.log(
      `median PostgreSQL CPU per call: API ${median(databaseCpuPerCall.api).toFixed(2)} ms, ` +
        `bare ${median(databaseCpuPerCall.bare).toFixed(2)} ms`,
    );
  }
  console.log(
    `median load generator CPU per call: API ${median(loadCpuPerCall.api).toFixed(2)} ms, ` +
      `bare ${median(loadCpuPerCall.bare).toFixed(2)} ms`,
  );
  if (machineBusy.api.length > 0 && machineBusy.bare.length > 0) {
    console.log(
      `median machine busy: API rounds ${(median(machineBusy.api) * 100).toFixed(0)} %, ` +
        `bare rounds ${(median(machineBusy.bare) * 100).toFixed(0)} %`,
    );
  }
  const apiMedian = median(figures.api);
  const bareMedian = median(figures.bare);
  console.log(
    `median: API ${apiMedian.toFixed(0)} req/s, bare ${bareMedian.toFixed(0)} req/s ` +
      `(${rounds} rounds of ${seconds} s at concurrency ${concurrency})`,
  );
  console.log(`bench:api: API/bare throughput ratio ${(apiMedian / bareMedian).toFixed(2)}`);
} finally {
  await bare.stop();
  await api.stop();
  await admin`drop database if exists ${admin(name)} with (force)`;
  await admin.end();
}

/** A process's user + system CPU time so far in ms, or null where /proc is not there. */
function cpuMs(pid: number): number | null {
  try {
    // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks
    // (USER_HZ, 100 on Linux).
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 10 : null;
  } catch {
    return null;
  }
}

/** All CPUs' busy and total time so far, in clock ticks (the first line of /proc/stat). */
function machineJiffies(): { busy: number; total: number } | null {
  try {
    const [, ...fields] =
      readFileSync("/proc/stat", "utf8").split("\n")[0]?.trim().split(/\s+/) ?? [];
    const ticks = fields.slice(0, 8).map(Number);
    const total = ticks.reduce((sum, n) => sum + n, 0);
    // idle and iowait are the 4th and 5th
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    return Number.isFinite(total) && total > 0 ? { busy: total - idle, total } : null;
  } catch {
    return null;
  }
}

/**
 * The CPU time so far of every PostgreSQL process on this machine (the server the bench uses,
 * when it is local), or null where /proc is not there. Both servers' pools keep their
 * connections for the whole run, so their backends are counted from start to end.
 */
function postgresCpuMs(): number | null {
  try {
    let total = 0;
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      } catch {
        continue; // gone since the listing
      }
      if (!stat.includes("(postgres)")) continue;
      const fields = stat.split(") ")[1]?.split(" ") ?? [];
      total += (Number(fields[11]) + Number(fields[12])) * 10;
    }
    return total;
  } catch {
    return null;
  }
}

/** Requests per second answered 200 by `concurrency` clients in a loop for `forSeconds`. */
async function load(
  target: { url: string; headers: Record<string, string> },
  forSeconds: number,
): Promise<number> {
  const until = performance.now() + forSeconds * 1000;
  let ok = 0;
  let failed = 0;
  const worker = async () => {
    while (performance.now() < until) {
      const response = await fetch(target.url, { headers: target.headers });
      await response.arrayBuffer();
      if (response.status === 200) ok++;
      else failed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (failed > 0) throw new Error(`${failed} requests failed during the bench`);
  return ok / forSeconds;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
