import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb, migrate } from "@remit/db";
import { localStore } from "@remit/storage";
import postgres from "postgres";
import { createApiDeps, createCaller, createContext, TenantContextRecorder } from "../src";
import { benchDatabaseUrl } from "./env";

/*
 * pnpm bench:api — two measurements the API's design rests on, side by side in one run:
 *
 * 1. What recording tenant-context outcomes costs: record() on the request path, and one
 *    batched flush of 1,000 events.
 * 2. Whether a caller can tell another tenant's invoice from one that never existed by time:
 *    invoice.get with tenant A's id and with a random id, alternated, as tenant B.
 *
 * DATABASE_URL: a fresh database on that server (dropped afterwards); else throwaway PGlite.
 */

const iterations = Number(process.argv[2] ?? 1000);
const serverUrl = benchDatabaseUrl;
const dbName = `remit_bench_api_${process.pid}`;
let url: string | undefined;
let admin: postgres.Sql | undefined;
if (serverUrl) {
  admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${dbName}`);
  const u = new URL(serverUrl);
  u.pathname = `/${dbName}`;
  url = u.toString();
}
const handle = createDb({ url, dataDir: "memory://", maxConnections: 4 });
try {
  await migrate(handle);
  const baseURL = "http://127.0.0.1:3999";
  const deps = createApiDeps({
    db: handle.db,
    store: localStore({
      root: mkdtempSync(join(tmpdir(), "remit-bench-objects-")),
    }),
    secret: "bench-secret-that-is-long-enough-0123456789",
    baseURL,
    fileLinks: {
      secret: "bench-files-secret-0123456789abcdef",
      downloadUrl: `${baseURL}/api/files`,
    },
  });
  const person = async (name: string) => {
    const account = {
      email: `${name}-${crypto.randomUUID()}@example.test`,
      password: "bench password 123",
    };
    await deps.auth.api.signUpEmail({ body: { name, ...account } });
    const { headers } = await deps.auth.api.signInEmail({ body: account, returnHeaders: true });
    const h = new Headers({ authorization: `Bearer ${headers.get("set-auth-token")}` });
    await deps.auth.api.createOrganization({
      headers: h,
      body: { name, slug: `${name}-${crypto.randomUUID().slice(0, 8)}` },
    });
    return h;
  };
  const [aHeaders, bHeaders] = [await person("a"), await person("b")];
  const a = createCaller(await createContext(deps, { headers: aHeaders }));
  const b = createCaller(await createContext(deps, { headers: bHeaders }));
  const invoiceOfA = (await a.invoice.create({ invoiceNumber: "A-1", lineItems: [] })).id;

  // 1. Recording.
  const recorder = new TenantContextRecorder(handle.db, {
    flushEveryMs: 60_000,
    maxBatch: 100_000,
  });
  const recordStart = performance.now();
  for (let i = 0; i < 1000; i++)
    recorder.record({ tenantId: null, userId: null, outcome: "ok", reason: null });
  const recordMicros = ((performance.now() - recordStart) * 1000) / 1000;
  const flushStart = performance.now();
  const written = await recorder.flush();
  const flushMs = performance.now() - flushStart;

  // 2. Existence timing, alternating which goes first.
  const samples: Record<"other tenant's id" | "random id", number[]> = {
    "other tenant's id": [],
    "random id": [],
  };
  const time = async (label: keyof typeof samples, id: string) => {
    const started = performance.now();
    const code = await b.invoice.get({ id }).then(
      () => "OK",
      (e: { code?: string }) => e.code,
    );
    samples[label].push(performance.now() - started);
    if (code !== "NOT_FOUND") throw new Error(`expected NOT_FOUND, got ${code}`);
  };
  for (let i = 0; i < 100; i++) await time("random id", crypto.randomUUID());
  samples["random id"] = [];
  for (let i = 0; i < iterations; i++) {
    if (i % 2 === 0) {
      await time("other tenant's id", invoiceOfA);
      await time("random id", crypto.randomUUID());
    } else {
      await time("random id", crypto.randomUUID());
      await time("other tenant's id", invoiceOfA);
    }
  }
  const pct = (xs: number[], p: number) =>
    [...xs].sort((x, y) => x - y)[Math.floor((p / 100) * (xs.length - 1))] ?? Number.NaN;
  console.log(`bench:api on ${handle.kind}${serverUrl ? ` (fresh database ${dbName})` : ""}`);
  console.log(
    `  tenant-context recording: record() ${recordMicros.toFixed(2)} µs per event on the request path;`,
  );
  console.log(
    `  one batched flush of ${written} events: ${flushMs.toFixed(1)} ms (${((flushMs * 1000) / written).toFixed(1)} µs per event, off the request path)`,
  );
  console.log(`  invoice.get as tenant B, NOT_FOUND every time, ${iterations} calls each, ms:`);
  for (const [label, xs] of Object.entries(samples)) {
    console.log(
      `    ${label.padEnd(20)} p50 ${pct(xs, 50).toFixed(3)}  p99 ${pct(xs, 99).toFixed(3)}`,
    );
  }
  const ratio = pct(samples["other tenant's id"], 50) / pct(samples["random id"], 50);
  console.log(`    other / random p50 ratio: ${ratio.toFixed(3)}`);
  await deps.recorder.flush();
} finally {
  await handle.close();
  if (admin) {
    await admin.unsafe(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
}
