import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { and, desc, eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { describeTarget, parseEnv } from "../src/cli/env";
import { createDb, type DbHandle } from "../src/client";
import { migrate } from "../src/migrate";
import { queryRows } from "../src/rows";
import { invoices } from "../src/schema";
import type { Database } from "../src/types";
import { type TenantContext, withTenant } from "../src/with-tenant";

/*
 * pnpm bench:db — what row-level security costs, measured side by side in one run.
 *
 * Seeds N tenants x M invoices (with line items) into a database of its own, then for each query
 * alternates, iteration by iteration, between the RLS path (withTenant: BEGIN, set_config, query,
 * COMMIT as remit_app) and the same query as the owner with an explicit `WHERE tenant_id =`,
 * in a transaction of the same shape (BEGIN, query, COMMIT). Alternating keeps the machine's
 * noise in both columns alike. With DATABASE_URL it creates (and afterwards drops) a fresh
 * database on that server; without, it uses a throwaway embedded PGlite.
 */

const { values: args } = parseArgs({
  options: {
    tenants: { type: "string" },
    invoices: { type: "string" },
    lines: { type: "string", default: "2" },
    iterations: { type: "string", default: "2000" },
    keep: { type: "boolean", default: false },
  },
});

const env = parseEnv();
const onServer = Boolean(env.DATABASE_URL);
const tenantCount = Number(args.tenants ?? (onServer ? 1000 : 50));
const invoicesPerTenant = Number(args.invoices ?? (onServer ? 1000 : 200));
const linesPerInvoice = Number(args.lines);
const iterations = Number(args.iterations);

interface Target {
  handle: DbHandle;
  label: string;
  cleanup(): Promise<void>;
}

async function openTarget(): Promise<Target> {
  if (env.DATABASE_URL) {
    const name = `remit_bench_${process.pid}`;
    const admin = postgres(env.DATABASE_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${name}`);
    await admin.unsafe(`create database ${name}`);
    const url = new URL(env.DATABASE_URL);
    url.pathname = `/${name}`;
    const handle = createDb({ url: url.toString(), maxConnections: 4 });
    return {
      handle,
      label: `${describeTarget(env)} (fresh database ${name})`,
      async cleanup() {
        await handle.close();
        if (!args.keep) await admin.unsafe(`drop database if exists ${name}`);
        await admin.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), "remit-bench-"));
  const handle = createDb({ dataDir: join(dir, "pglite") });
  return {
    handle,
    label: "embedded PGlite (throwaway)",
    async cleanup() {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Seeding runs as the connecting (owner) role with triggers off (session_replication_role =
 * replica): it writes approved, locked invoices and their lines directly, which the lifecycle
 * triggers rightly refuse to anyone going through the front door.
 */
async function seed(db: Database): Promise<void> {
  await db.execute(sql`set session_replication_role = replica`);
  const batch = 50;
  for (let start = 0; start < tenantCount; start += batch) {
    const n = Math.min(batch, tenantCount - start);
    await db.transaction(async (tx) => {
      await tx.execute(sql`
        create temp table batch_tenants on commit drop as
        select gen_random_uuid() as id, gen_random_uuid() as user_id, ${start}::int + g as n
        from generate_series(1, ${n}::int) g`);
      await tx.execute(sql`
        insert into tenants (id, name, slug)
        select id, 'Bench tenant ' || n, 'bench-' || n || '-' || left(id::text, 8) from batch_tenants`);
      await tx.execute(sql`
        insert into users (id, name, email)
        select user_id, 'Bench user ' || n, 'bench-' || user_id || '@example.test' from batch_tenants`);
      await tx.execute(sql`
        insert into members (organization_id, user_id, role)
        select id, user_id, 'admin' from batch_tenants`);
      await tx.execute(sql`
        insert into invoices (tenant_id, id, status, is_locked, invoice_number, invoice_date,
                              currency, subtotal, tax_amount, total, created_by, created_at)
        select t.id, gen_random_uuid(), s.status, s.status = 'approved_to_ap', 'INV-' || g,
               date '2026-01-01' + (g % 300), 'EUR', (g % 1000) * 10.00, (g % 1000) * 1.90,
               (g % 1000) * 11.90, t.user_id, timestamptz '2026-01-01' + make_interval(mins => g)
        from batch_tenants t
        cross join generate_series(1, ${invoicesPerTenant}::int) g
        cross join lateral (select (array['draft', 'pending_verification', 'verified',
                            'approved_to_ap'])[1 + g % 4]::invoice_status as status) s`);
      await tx.execute(sql`
        insert into invoice_line_items (tenant_id, invoice_id, position, description, quantity,
                                        unit_price, amount)
        select i.tenant_id, i.id, p, 'Line ' || p, 1, i.subtotal / ${linesPerInvoice}::int,
               i.subtotal / ${linesPerInvoice}::int
        from invoices i join batch_tenants t on t.id = i.tenant_id
        cross join generate_series(1, ${linesPerInvoice}::int) p`);
    });
    process.stdout.write(`\r  seeded ${Math.min(start + n, tenantCount)}/${tenantCount} tenants`);
  }
  await db.execute(sql`set session_replication_role = origin`);
  process.stdout.write("\n");
  await db.execute(sql`vacuum analyze`);
}

interface Sample {
  name: string;
  ms: number[];
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

function summarize(sample: Sample) {
  const sorted = [...sample.ms].sort((x, y) => x - y);
  return { name: sample.name, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

async function main() {
  const target = await openTarget();
  const { db } = target.handle;
  try {
    console.log(`bench:db on ${target.label}`);
    console.log(
      `  ${tenantCount} tenants x ${invoicesPerTenant} invoices x ${linesPerInvoice} lines = ` +
        `${(tenantCount * invoicesPerTenant).toLocaleString("en")} invoices`,
    );
    await migrate(target.handle);
    const seedStarted = performance.now();
    await seed(db);
    console.log(`  seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);

    // 200 tenants, each with its admin and one of its invoices.
    const tenants = await queryRows<{ id: string; user_id: string; invoice_id: string }>(
      db,
      sql`select m.organization_id as id, m.user_id,
            (select i.id from invoices i where i.tenant_id = m.organization_id
             order by i.created_at desc offset 7 limit 1) as invoice_id
          from members m order by random() limit 200`,
    );
    const pick = (i: number) => {
      const t = tenants[i % tenants.length] as (typeof tenants)[number];
      const other = tenants[(i + 1) % tenants.length] as (typeof tenants)[number];
      const ctx: TenantContext = { tenantId: t.id, userId: t.user_id, role: "admin" };
      return { ctx, own: t.invoice_id, foreign: other.invoice_id };
    };

    const listColumns = {
      id: invoices.id,
      status: invoices.status,
      invoiceNumber: invoices.invoiceNumber,
      total: invoices.total,
      createdAt: invoices.createdAt,
    };
    // Each query is timed twice: the statement alone (inside its transaction: what RLS itself
    // costs) and the whole request (BEGIN to COMMIT: what withTenant costs, context included).
    const names = ["list rls", "list plain", "get rls", "get plain", "get other tenant (rls)"];
    const samples = new Map<string, Sample>();
    for (const name of names) {
      for (const scope of ["statement", "request"]) {
        samples.set(`${scope}: ${name}`, { name: `${name}`, ms: [] });
      }
    }
    const record = (scope: string, name: string, ms: number) =>
      samples.get(`${scope}: ${name}`)?.ms.push(ms);

    /** Runs fn as one request; fn times its own statement and returns that. */
    async function measure(name: string, fn: () => Promise<number>) {
      const started = performance.now();
      const statement = await fn();
      record("request", name, performance.now() - started);
      record("statement", name, statement);
    }
    async function timed<T>(query: PromiseLike<T>): Promise<[T, number]> {
      const started = performance.now();
      const result = await query;
      return [result, performance.now() - started];
    }

    // Warm up caches and the connection pool before anything is recorded.
    for (let i = 0; i < 200; i++) {
      const { ctx } = pick(i);
      await withTenant(db, ctx, (tx) => tx.select(listColumns).from(invoices).limit(50));
    }

    const order = [desc(invoices.createdAt), desc(invoices.id)] as const;
    for (let i = 0; i < iterations; i++) {
      const { ctx, own, foreign } = pick(i);
      const rlsList = () =>
        withTenant(db, ctx, async (tx) => {
          const [, ms] = await timed(
            tx
              .select(listColumns)
              .from(invoices)
              .orderBy(...order)
              .limit(50),
          );
          return ms;
        });
      const plainList = () =>
        db.transaction(async (tx) => {
          const [, ms] = await timed(
            tx
              .select(listColumns)
              .from(invoices)
              .where(eq(invoices.tenantId, ctx.tenantId))
              .orderBy(...order)
              .limit(50),
          );
          return ms;
        });
      const rlsGet = () =>
        withTenant(db, ctx, async (tx) => {
          const [, ms] = await timed(tx.select().from(invoices).where(eq(invoices.id, own)));
          return ms;
        });
      const plainGet = () =>
        db.transaction(async (tx) => {
          const [, ms] = await timed(
            tx
              .select()
              .from(invoices)
              .where(and(eq(invoices.tenantId, ctx.tenantId), eq(invoices.id, own))),
          );
          return ms;
        });
      const crossGet = () =>
        withTenant(db, ctx, async (tx) => {
          const [rows, ms] = await timed(
            tx.select().from(invoices).where(eq(invoices.id, foreign)),
          );
          if (rows.length > 0) throw new Error("isolation failure: saw another tenant's invoice");
          return ms;
        });
      // Alternate which side goes first so that neither always runs on a warmer cache.
      const pairs: Array<[string, () => Promise<number>, string, () => Promise<number>]> = [
        ["list rls", rlsList, "list plain", plainList],
        ["get rls", rlsGet, "get plain", plainGet],
      ];
      for (const [aName, aFn, bName, bFn] of pairs) {
        if (i % 2 === 0) {
          await measure(aName, aFn);
          await measure(bName, bFn);
        } else {
          await measure(bName, bFn);
          await measure(aName, aFn);
        }
      }
      await measure("get other tenant (rls)", crossGet);
    }

    for (const scope of ["statement", "request"] as const) {
      const rows = names.map((name) => summarize(samples.get(`${scope}: ${name}`) as Sample));
      const title =
        scope === "statement"
          ? "the statement alone (what RLS costs)"
          : "the whole request, BEGIN to COMMIT (what withTenant costs)";
      console.log(`\n  ${title}, ${iterations} iterations each, ms`);
      console.log(`  ${"query".padEnd(26)}${"p50".padStart(9)}${"p99".padStart(9)}`);
      for (const r of rows) {
        console.log(
          `  ${r.name.padEnd(26)}${r.p50.toFixed(3).padStart(9)}${r.p99.toFixed(3).padStart(9)}`,
        );
      }
      const get = (name: string) =>
        rows.find((r) => r.name === name) as ReturnType<typeof summarize>;
      const ratio = (a: string, b: string) =>
        `p50 ${(get(a).p50 / get(b).p50).toFixed(3)}  p99 ${(get(a).p99 / get(b).p99).toFixed(3)}`;
      console.log(`  RLS / plain   list: ${ratio("list rls", "list plain")}`);
      console.log(`                get:  ${ratio("get rls", "get plain")}`);
    }

    const sample = pick(0);
    const plan = await withTenant(db, sample.ctx, (tx) =>
      queryRows<{ "QUERY PLAN": string }>(
        tx,
        sql`explain (analyze, costs off, timing off, summary off)
            select id, status, invoice_number, total, created_at from invoices
            order by created_at desc, id desc limit 50`,
      ),
    );
    console.log("\n  EXPLAIN ANALYZE of the RLS list query (as remit_app):");
    for (const line of plan) console.log(`    ${line["QUERY PLAN"]}`);
  } finally {
    await target.cleanup();
  }
}

await main();
