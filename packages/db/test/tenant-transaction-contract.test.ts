import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { sql } from "drizzle-orm";
import { PgTransaction } from "drizzle-orm/pg-core";
import { PostgresJsSession } from "drizzle-orm/postgres-js/session";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { queryRows } from "../src/rows";
import { invoices } from "../src/schema";
import { pipelinedPostgresRunner } from "../src/tenant-transaction";
import { openTestDatabase, type SeededTenant, seedTenant, type TestDatabase } from "../src/testing";

// CI's PostgreSQL pass; absent on the embedded default pass.
const testDatabaseUrl = inject("remitSuiteDatabase").url;

/*
 * The production runner (tenant-transaction.ts pipelinedPostgresRunner) builds Drizzle's
 * transaction objects itself, from the postgres.js transaction, so that the tenant statement can
 * be pipelined ahead of the request's first statement. Drizzle has no public API for that, so
 * the version is pinned (the catalog's exact drizzle-orm) and this file tests exactly the
 * contract the runner relies on: should an upgrade change it, this fails before anything else.
 */

const require = createRequire(import.meta.url);
const workspace = readFileSync(new URL("../../../pnpm-workspace.yaml", import.meta.url), "utf8");

describe("the Drizzle contract the pipelined runner relies on", () => {
  it("drizzle-orm is exactly the pinned version", () => {
    const pinned = /^\s+drizzle-orm:\s*(\S+)$/m.exec(workspace)?.[1];
    // drizzle-orm exports no ./package.json: find it from the resolved entry point.
    const entry = require.resolve("drizzle-orm");
    const manifest = `${entry.slice(0, entry.lastIndexOf("/node_modules/drizzle-orm/") + 26)}package.json`;
    const installed = (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(installed).toBe(pinned);
  });

  it("Drizzle's own transaction() builds its session and transaction as the runner does", () => {
    // The runner mirrors these two constructions (same arguments, same order).
    const source = PostgresJsSession.prototype.transaction.toString();
    expect(source).toMatch(/this\.client\.begin\(/);
    expect(source).toMatch(
      /new PostgresJsSession\(\s*client,\s*this\.dialect,\s*this\.schema,\s*this\.options\s*\)/,
    );
    expect(source).toMatch(/new PostgresJsTransaction\(this\.dialect, session, this\.schema\)/);
  });
});

describe.runIf(testDatabaseUrl)("the pipelined runner on PostgreSQL (TEST_DATABASE_URL)", () => {
  let handle: TestDatabase;
  let client: postgres.Sql;
  let tenant: SeededTenant;

  beforeAll(async () => {
    handle = await openTestDatabase({ url: testDatabaseUrl });
    tenant = await seedTenant(handle.db, "contract");
    client = postgres(testDatabaseUrl ?? "", { max: 2, onnotice: () => {} });
  });

  afterAll(async () => {
    await client?.end();
    await handle?.close();
  });

  const settings = () => tenant.as.admin;

  it("hands fn a Drizzle PgTransaction bound to the tenant, as remit_app", async () => {
    const run = pipelinedPostgresRunner(client);
    const seen = await run(settings(), async (tx) => {
      expect(tx).toBeInstanceOf(PgTransaction);
      const [row] = await queryRows<{ role: string; tenant: string }>(
        tx,
        sql`select current_user as role, current_setting('app.tenant_id', true) as tenant`,
      );
      return row;
    });
    expect(seen).toEqual({ role: "remit_app", tenant: tenant.tenantId });
  });

  it("runs the query builder and the relational API on that transaction", async () => {
    const run = pipelinedPostgresRunner(client);
    const id = crypto.randomUUID();
    const found = await run(settings(), async (tx) => {
      await tx
        .insert(invoices)
        .values({ id, tenantId: tenant.tenantId, createdBy: tenant.as.admin.userId });
      return tx.query.invoices.findFirst({ where: (i, { eq }) => eq(i.id, id) });
    });
    expect(found?.id).toBe(id);
  });

  it("rolls back everything when fn throws, and fails every statement when binding fails", async () => {
    const run = pipelinedPostgresRunner(client);
    const id = crypto.randomUUID();
    await expect(
      run(settings(), async (tx) => {
        await tx
          .insert(invoices)
          .values({ id, tenantId: tenant.tenantId, createdBy: tenant.as.admin.userId });
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    const after = await run(settings(), (tx) =>
      tx.select().from(invoices).where(sql`${invoices.id} = ${id}`),
    );
    expect(after).toEqual([]);
    // A role value the setting rejects: the bind fails, and with it the transaction.
    await expect(
      run({ ...settings(), tenantId: "not a uuid" }, (tx) => tx.select().from(invoices)),
    ).rejects.toThrow();
  });
});
