import type { Sql } from "./database";
import type { LoadRun } from "./load";

/*
 * Data checks after each fault, read straight from the API's database as the superuser:
 * nothing a successful write returned is missing or in the wrong tenant; every OCR job is in a
 * legal state and completed at most once (one invoice.extracted audit row per succeeded job).
 */

export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
  /** How many things the check found wrong (acknowledged writes missing, say). */
  failures?: number;
}

export async function committedWrites(sql: Sql, run: LoadRun): Promise<CheckResult> {
  const tenantIds = run.tenants.map((t) => t.id);
  // What was acknowledged before the check began: later acknowledgements are the next check's.
  const acknowledgedInvoices = [...run.committedInvoices];
  const acknowledgedComments = [...run.committedComments];
  const invoiceRows = await sql<{ id: string; tenant_id: string }[]>`
    select id, tenant_id from invoices where id = any(${acknowledgedInvoices.map((c) => c.id)}::uuid[])`;
  const commentRows = await sql<{ id: string; tenant_id: string }[]>`
    select id, tenant_id from invoice_comments
    where id = any(${acknowledgedComments.map((c) => c.id)}::uuid[])`;
  const invoices = new Map(invoiceRows.map((r) => [r.id, r.tenant_id]));
  const comments = new Map(commentRows.map((r) => [r.id, r.tenant_id]));
  const lostInvoices = acknowledgedInvoices.filter(
    (c) => invoices.get(c.id) !== tenantIds[c.tenant],
  );
  const lostComments = acknowledgedComments.filter(
    (c) => comments.get(c.id) !== tenantIds[c.tenant],
  );
  const ok = lostInvoices.length === 0 && lostComments.length === 0;
  return {
    name: "committed writes",
    ok,
    failures: lostInvoices.length + lostComments.length,
    detail: `${acknowledgedInvoices.length} invoices and ${acknowledgedComments.length} comments acknowledged; ${lostInvoices.length + lostComments.length} missing or in another tenant`,
  };
}

export async function jobs(sql: Sql, final: boolean): Promise<CheckResult> {
  const rows = await sql<
    {
      id: string;
      status: string;
      attempts: number;
      max_attempts: number;
      extracted: number;
      documents: number;
    }[]
  >`
    select j.id, j.status, j.attempts, j.max_attempts,
      (select count(*)::int from audit_log a where a.tenant_id = j.tenant_id
         and a.entity_id = j.invoice_id::text and a.action = 'invoice.extracted') as extracted,
      (select count(*)::int from documents d where d.tenant_id = j.tenant_id
         and d.invoice_id = j.invoice_id) as documents
    from ocr_jobs j`;
  const problems: string[] = [];
  const byStatus = new Map<string, number>();
  for (const job of rows) {
    byStatus.set(job.status, (byStatus.get(job.status) ?? 0) + 1);
    if (job.attempts > job.max_attempts) problems.push(`${job.id}: ${job.attempts} attempts`);
    if (job.documents !== 1) problems.push(`${job.id}: ${job.documents} documents`);
    if (job.status === "succeeded" && job.extracted !== 1)
      problems.push(`${job.id}: succeeded with ${job.extracted} invoice.extracted rows`);
    if (job.status !== "succeeded" && job.extracted > 0)
      problems.push(`${job.id}: ${job.status} but extracted ${job.extracted} times`);
    if (final && !["succeeded", "failed", "dead"].includes(job.status))
      problems.push(`${job.id}: still ${job.status}`);
  }
  const counts = [...byStatus].map(([status, n]) => `${n} ${status}`).join(", ");
  return {
    name: final ? "OCR jobs (final)" : "OCR jobs",
    ok: problems.length === 0,
    detail: `${rows.length} jobs: ${counts || "none"}${problems.length ? `; ${problems.slice(0, 5).join("; ")}` : ""}`,
  };
}

/** Ids shown to a tenant before anyone knew their owner: each must belong to that tenant. */
export async function unverifiedIds(sql: Sql, run: LoadRun): Promise<CheckResult> {
  const problems: string[] = [];
  for (const table of ["invoices", "suppliers"] as const) {
    const wanted = run.unverified.filter((u) => u.table === table);
    const ids = [...new Set(wanted.map((u) => u.id))];
    const rows = await sql<{ id: string; tenant_id: string | null }[]>`
      select id, tenant_id from ${sql(table)} where id = any(${ids}::uuid[])`;
    const owner = new Map(rows.map((r) => [r.id, r.tenant_id]));
    for (const u of wanted) {
      if (owner.get(u.id) !== run.tenants[u.tenant]?.id)
        problems.push(`${run.tenants[u.tenant]?.label} was shown ${table} ${u.id}`);
    }
  }
  run.isolationErrors.push(...problems);
  return {
    name: "isolation (late-checked ids)",
    ok: problems.length === 0,
    detail: `${run.unverified.length} ids first seen in a list checked against the database; ${problems.length} of another tenant`,
  };
}
