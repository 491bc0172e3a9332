import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { sql, TransactionRollbackError } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type AuditReport, auditDatabase } from "../src/audit";
import { createDb } from "../src/client";
import { migrate } from "../src/migrate";
import { queryRows } from "../src/rows";
import { readPgliteDump, type TestDatabase } from "../src/testing";
import { openSuiteDatabase } from "../src/testing/vitest-suite";
import type { Transaction } from "../src/types";

let handle: TestDatabase;

beforeAll(async () => {
  handle = await openSuiteDatabase();
});

afterAll(async () => {
  await handle?.close();
});

/** Applies deliberately broken DDL in a transaction, audits inside it, and rolls it all back. */
async function auditWith(ddl: string[]): Promise<AuditReport> {
  let report: AuditReport | undefined;
  await handle.db
    .transaction(async (tx: Transaction) => {
      for (const statement of ddl) await tx.execute(sql.raw(statement));
      report = await auditDatabase(tx);
      tx.rollback();
    })
    .catch((error: Error) => {
      if (!(error instanceof TransactionRollbackError)) throw error;
    });
  if (!report) throw new Error("audit did not run");
  return report;
}

const databaseName = async () =>
  (await queryRows<{ name: string }>(handle.db, sql`select current_database() as name`))[0]?.name ??
  "";

const problems = (report: AuditReport, object: string) =>
  report.findings.filter((f) => f.object.includes(object)).map((f) => f.problem);

it("passes on the migrated schema", async () => {
  const report = await auditDatabase(handle.db);
  expect(report.findings).toEqual([]);
  // 8 tables, plus tenant_settings, approval_bands and invoice_approvals (drizzle/0009),
  // supplier_layouts (drizzle/0010), the four mail tables (drizzle/0011) and
  // invoice_status_counts (drizzle/0012), mail_imap_mailboxes (drizzle/0013), the three webhook
  // tables (drizzle/0014), inbox_views and invoice_duplicates (drizzle/0016).
  expect(report.tenantTables).toHaveLength(23);
});

it("running the migrations again changes nothing", async () => {
  const count = async () =>
    (
      await queryRows<{ n: number }>(
        handle.db,
        sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
      )
    )[0]?.n;
  const before = await count();
  await migrate(handle);
  expect(await count()).toBe(before);
  expect((await auditDatabase(handle.db)).ok).toBe(true);
});

describe("fails on a deliberately broken schema", () => {
  it("a table whose RLS is not forced and whose policy has no WITH CHECK", async () => {
    const report = await auditWith([
      "create table audit_probe (tenant_id uuid not null, id uuid not null, primary key (tenant_id, id))",
      "alter table audit_probe enable row level security",
      "create policy tenant_isolation_audit_probe on audit_probe for all to remit_app using (tenant_id = (select current_tenant_id()))",
    ]);
    expect(report.ok).toBe(false);
    expect(problems(report, "audit_probe")).toEqual(
      expect.arrayContaining([
        "row-level security is not forced",
        "tenant_isolation has no WITH CHECK clause",
      ]),
    );
  });

  it("a tenant table with no RLS and no policy at all", async () => {
    const report = await auditWith(["create table audit_probe (tenant_id uuid, note text)"]);
    expect(problems(report, "audit_probe")).toEqual(
      expect.arrayContaining([
        "row-level security is not enabled",
        "row-level security is not forced",
        "no policy named tenant_isolation_audit_probe",
      ]),
    );
  });

  it("a policy that does not compare with current_tenant_id(), and an extra permissive one", async () => {
    const report = await auditWith([
      "alter policy tenant_isolation_invoice_comments on invoice_comments using (true) with check (true)",
      "create policy peek on invoices for select to remit_app using (true)",
    ]);
    expect(problems(report, "invoice_comments").join("\n")).toMatch(/USING does not compare/);
    expect(problems(report, "public.invoices")).toContain(
      "unexpected PERMISSIVE policy peek widens access",
    );
  });

  it("a foreign key between tenant tables that leaves tenant_id out", async () => {
    const report = await auditWith([
      "alter table invoice_line_items add constraint sneaky_fk foreign key (id) references suppliers (id) not valid",
    ]);
    expect(problems(report, "sneaky_fk")).toEqual([
      "references suppliers without tenant_id in the key",
    ]);
  });

  it("a SECURITY DEFINER function remit_app can call, a view without security_invoker, loose grants", async () => {
    const report = await auditWith([
      "create function leak() returns bigint language sql security definer as 'select count(*) from invoices'",
      "create view all_invoices as select * from invoices",
      "grant select on invoices to public",
      "grant select on users to remit_app",
    ]);
    expect(report.findings.map((f) => `${f.check}: ${f.object}`)).toEqual(
      expect.arrayContaining([
        "functions: leak()",
        "views: public.all_invoices",
        "grants: public.invoices",
        "grants: public.users",
      ]),
    );
  });

  it("an isolation clause widened with OR, and an allowlisted policy rewritten", async () => {
    const report = await auditWith([
      "alter policy tenant_isolation_invoices on invoices using ((tenant_id = (select current_tenant_id())) or true)",
      "alter policy global_suppliers_readable on suppliers using (true)",
    ]);
    expect(problems(report, "public.invoices").join("\n")).toMatch(/USING does not compare/);
    expect(problems(report, "public.suppliers").join("\n")).toMatch(
      /global_suppliers_readable has changed/,
    );
  });

  it("privileges that bypass RLS or append-only rules, column grants, temp tables, triggers off", async () => {
    const report = await auditWith([
      "grant truncate on invoices to remit_app",
      "grant update on audit_log to remit_app",
      "grant select (email) on users to remit_app",
      `grant temporary on database "${await databaseName()}" to remit_app`,
      "alter table invoices disable trigger invoices_guard_update",
    ]);
    expect(report.findings.map((f) => `${f.object}: ${f.problem}`)).toEqual(
      expect.arrayContaining([
        "public.invoices: remit_app holds TRUNCATE",
        "public.audit_log: remit_app holds UPDATE on an append-only table",
        "public.users.email: column-level grant to remit_app",
        "remit_app: may create temporary tables (they can shadow Remit's)",
        "invoices.invoices_guard_update: lifecycle trigger is disabled",
      ]),
    );
  });

  it("a remit_app that could bypass RLS through a role it belongs to", async () => {
    const report = await auditWith([
      "create role audit_probe_role",
      "grant audit_probe_role to remit_app",
    ]);
    expect(problems(report, "remit_app")).toContain(
      "is a member of audit_probe_role and may inherit it",
    );
  });
});

it("pnpm db:audit exits non-zero with a readable report on a broken database", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "remit-audit-"));
  try {
    // From the migrated dump when the suite has one (an initdb on disk costs many seconds).
    const dump = inject("remitSuiteDatabase").pgliteDump;
    const broken = createDb({
      dataDir: join(dataDir, "pglite"),
      loadDataDir: dump ? readPgliteDump(dump) : undefined,
    });
    await migrate(broken);
    await broken.db.execute(sql`alter table invoices no force row level security`);
    await broken.close();
    const cli = join(import.meta.dirname, "../src/cli/audit.ts");
    const run = promisify(execFile)("node", ["--import", "tsx", cli], {
      env: { ...process.env, DATABASE_URL: "", REMIT_DATA_DIR: dataDir },
    });
    const failure = await run.then(
      () => undefined,
      (error: { code: number; stdout: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stdout).toContain("FAIL: 1 finding(s)");
    expect(failure?.stdout).toContain("[rls] public.invoices: row-level security is not forced");
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
