import { type ApiProcess, startWorker, type WorkerProcess } from "@remit/testkit";
import sharp from "sharp";
import { restartServer, type Sql, terminateApiConnections } from "./database";
import type { SeededTenant } from "./seed";
import { uploadBytes } from "./seed";
import { percentile } from "./stats";
import { call } from "./trpc-http";

/*
 * The four faults, each injected while the load runs. Each returns what was done and what was
 * seen; the figures of the load around it are computed by the caller.
 */

export interface FaultOutcome {
  ok: boolean;
  injected: string;
  findings: string[];
}

export interface Workers {
  list: Array<{ id: string; process: WorkerProcess }>;
  start(): void;
}

export function workerPool(url: string, env: Record<string, string>): Workers {
  let n = 0;
  const workers: Workers = {
    list: [],
    start() {
      const id = `load-worker-${++n}`;
      workers.list.push({
        id,
        process: startWorker(url, { ...env, WORKER_ID: id, LOG_LEVEL: "warn" }),
      });
    },
  };
  return workers;
}

async function until<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => null);
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return null;
}

/** How long /readyz takes to answer 200 again. */
async function readyAgain(url: string, timeoutMs: number): Promise<number | null> {
  const started = performance.now();
  const ok = await until(async () => (await fetch(`${url}/readyz`)).ok, timeoutMs);
  return ok ? performance.now() - started : null;
}

export async function terminateConnections(
  api: ApiProcess,
  sql: Sql,
  database: string,
): Promise<FaultOutcome> {
  const killed = await terminateApiConnections(sql, database);
  const ready = await readyAgain(api.url, 30_000);
  return {
    ok: ready !== null,
    injected: `pg_terminate_backend on the API's ${killed} connections (application_name 'remit' in pg_stat_activity)`,
    findings: [
      ready === null
        ? "/readyz did not answer 200 within 30 s"
        : `/readyz answered 200 again ${ready.toFixed(0)} ms later`,
    ],
  };
}

export async function restartPostgres(
  api: ApiProcess,
  command: string,
  quiet: { quiet: boolean; waitedMs: number },
): Promise<FaultOutcome> {
  const waited =
    quiet.waitedMs >= 1000
      ? `, after waiting ${(quiet.waitedMs / 1000).toFixed(0)} s for other test runs`
      : "";
  if (!quiet.quiet) {
    return {
      ok: true,
      injected: "PostgreSQL restart: SKIPPED",
      findings: [`other test runs kept using the server${waited}; the restart was not done`],
    };
  }
  const took = await restartServer(command);
  const ready = await readyAgain(api.url, 60_000);
  return {
    ok: ready !== null,
    injected: `PostgreSQL restarted (\`${command}\`, ${(took / 1000).toFixed(1)} s${waited})`,
    findings: [
      "the API process was not restarted",
      ready === null
        ? "/readyz did not answer 200 within 60 s of the restart"
        : `/readyz answered 200 ${ready.toFixed(0)} ms after the restart command returned`,
    ],
  };
}

/** Black-and-white noise: seconds of OCR for 400 px, so the job is still running when killed. */
async function noisePng(size: number): Promise<Uint8Array> {
  const raw = Buffer.alloc(size * size);
  for (let i = 0; i < raw.length; i++) raw[i] = Math.random() < 0.5 ? 0 : 255;
  return sharp(raw, { raw: { width: size, height: size, channels: 1 } })
    .png()
    .toBuffer();
}

export async function killWorkerMidJob(
  api: ApiProcess,
  sql: Sql,
  tenant: SeededTenant,
  workers: Workers,
  leaseSeconds: number,
): Promise<FaultOutcome> {
  const token = tenant.members[0]?.token ?? "";
  const invoiceId = await uploadBytes(api.url, token, "slow-scan.png", await noisePng(400));
  tenant.uploadedInvoiceIds.push(invoiceId);
  const running = await until(async () => {
    const [job] = await sql<{ lease_owner: string | null; status: string }[]>`
      select lease_owner, status from ocr_jobs where invoice_id = ${invoiceId}`;
    return job?.status === "running" && job.lease_owner ? job.lease_owner : null;
  }, 60_000);
  const victim = workers.list.find((w) => w.id === running);
  if (!running || !victim) {
    return {
      ok: false,
      injected: "SIGKILL of a worker mid-job",
      findings: ["no worker picked up the slow job within 60 s"],
    };
  }
  await victim.process.kill("SIGKILL");
  workers.list.splice(workers.list.indexOf(victim), 1);
  const killedAt = performance.now();
  workers.start(); // keep two workers, as a supervisor would
  const done = await until(async () => {
    const [job] = await sql<{ status: string; attempts: number; lease_owner: string | null }[]>`
      select status, attempts, lease_owner from ocr_jobs where invoice_id = ${invoiceId}`;
    return job && ["succeeded", "failed", "dead"].includes(job.status) ? job : null;
  }, 120_000);
  const [audit] = await sql<{ n: number }[]>`
    select count(*)::int as n from audit_log
    where entity_id = ${invoiceId} and action = 'invoice.extracted'`;
  const ok = done?.status === "succeeded" && done.attempts === 2 && audit?.n === 1;
  return {
    ok,
    injected: `SIGKILL of ${victim.id} while it ran the OCR job of a slow scan (lease ${leaseSeconds} s)`,
    findings: [
      done
        ? `the job ended ${done.status} after ${done.attempts} attempts, ${((performance.now() - killedAt) / 1000).toFixed(1)} s after the kill, completed by ${done.lease_owner ?? "another worker"}`
        : "the job did not finish within 120 s of the kill",
      `${audit?.n ?? 0} invoice.extracted audit row(s) for it (must be exactly 1)`,
    ],
  };
}

/**
 * More concurrent requests than the pool has connections, against a second API process on the
 * same database with DATABASE_POOL_SIZE=2, while the tables they read are locked for a while, so
 * every one of them holds or waits for a connection. Each must finish (answer or 503) in bound.
 */
export async function exhaustPool(
  smallPool: ApiProcess,
  sql: Sql,
  tenants: SeededTenant[],
  options: { burst: number; lockMs: number; boundMs: number },
): Promise<FaultOutcome> {
  const locked = sql.begin(async (tx) => {
    await tx`lock table invoices in access exclusive mode`;
    await new Promise((resolve) => setTimeout(resolve, options.lockMs));
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: options.burst }, async (_, i) => {
      const tenant = tenants[i % tenants.length] as SeededTenant;
      const token = tenant.members[i % tenant.members.length]?.token ?? "";
      const t = performance.now();
      const outcome = await call(
        smallPool.url,
        token,
        "invoice.list",
        "query",
        { limit: 20 },
        options.boundMs,
      );
      return { outcome, ms: performance.now() - t };
    }),
  );
  await locked;
  const wall = performance.now() - started;
  const latencies = results.map((r) => r.ms).sort((a, b) => a - b);
  const byStatus = new Map<string, number>();
  for (const { outcome } of results) {
    const key = outcome.ok
      ? "200"
      : `${outcome.kind}${outcome.status >= 500 ? ` "${outcome.message}"` : ""}`;
    byStatus.set(key, (byStatus.get(key) ?? 0) + 1);
  }
  const allowed = results.every(
    (r) => r.outcome.ok || (r.outcome.status === 503 && r.ms <= options.boundMs),
  );
  const withinBound = (latencies.at(-1) ?? 0) <= options.boundMs;
  return {
    ok: allowed && withinBound,
    injected: `${options.burst} concurrent invoice.list calls against an API with DATABASE_POOL_SIZE=2, invoices locked (ACCESS EXCLUSIVE) for ${options.lockMs} ms`,
    findings: [
      `answers: ${[...byStatus].map(([k, n]) => `${n} × ${k}`).join(", ")}`,
      `all finished in ${wall.toFixed(0)} ms; latency p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms, max ${(latencies.at(-1) ?? 0).toFixed(0)} ms (bound ${options.boundMs} ms)`,
    ],
  };
}
