import { can as roleCan } from "@remit/auth";
import { type MemberRole, queryRows, type TenantDb } from "@remit/db";
import { type SQL, sql } from "drizzle-orm";
import { decodeInvoiceCursor, type InvoiceCursor } from "./invoice-cursor";
import { listPage } from "./invoice-inbox";
import { statusCodes } from "./status-code";

/*
 * "Waiting for me": the invoices whose next step is the caller's (docs/lifecycle.md).
 *
 *   - pending_verification the caller may verify: verify permission, and not its submitter
 *     (unless the tenant relaxed separation of duties);
 *   - verified the caller may approve: approve permission, neither its submitter nor its verifier
 *     (unless relaxed), no approval of theirs in this review round, and, where the invoice's band
 *     wants an admin and none has approved yet, either an admin or a slot left for an admin after
 *     this approval;
 *   - drafts the caller created that were rejected (to fix and submit again), or that were read
 *     (fields extracted, no reading queued or running). A document whose reading failed is not
 *     in the queue: the inbox shows it with its error.
 *
 * The same rules as the triggers (drizzle/0009), asked of the rows instead of refused at the
 * step. Each branch is a range of a tenant-led index in page order (drizzle/0019's
 * invoices_tenant_status_code_created_at_idx for the first two: status_code, not the enum, so
 * that it is an index condition under RLS; the partial invoices_tenant_creator_ready_drafts_idx for the drafts) read up to one page, so a
 * page costs four short index walks however big the tenant, and the count stops at countCap. As
 * in the inbox, every branch names the tenant beside RLS, for the planner.
 */

export interface WaitingActor {
  tenantId: string;
  userId: string;
  role: MemberRole;
}

export interface WaitingInput {
  sort: "newest" | "oldest";
  cursor?: string | undefined;
  limit: number;
}

/** The badge counts up to this many and then says "99+". */
export const waitingCountCap = 99;

function branches(actor: WaitingActor, after: InvoiceCursor | undefined, newest: boolean) {
  const t = actor.tenantId;
  const me = actor.userId;
  const separated = sql`(select public.duties_separated(${t}::uuid))`;
  const keyset = after
    ? newest
      ? sql`and (i.created_at, i.id) < (${after.at}::timestamptz, ${after.id}::uuid)`
      : sql`and (i.created_at, i.id) > (${after.at}::timestamptz, ${after.id}::uuid)`
    : sql``;
  const list: SQL[] = [];
  if (roleCan(actor.role, "invoice:verify")) {
    list.push(sql`select i.id, i.created_at from invoices i
      where i.tenant_id = ${t}::uuid and i.status_code = ${statusCodes.pending_verification}::smallint
        and (i.submitted_by is distinct from ${me}::uuid or not ${separated}) ${keyset}`);
  }
  if (roleCan(actor.role, "invoice:approve")) {
    const admin = actor.role === "admin";
    list.push(sql`select i.id, i.created_at from invoices i
      where i.tenant_id = ${t}::uuid and i.status_code = ${statusCodes.verified}::smallint
        and ((i.submitted_by is distinct from ${me}::uuid and i.verified_by is distinct from ${me}::uuid)
             or not ${separated})
        and not exists (select 1 from invoice_approvals a
          where a.tenant_id = i.tenant_id and a.invoice_id = i.id and a.round = i.review_round
            and a.approver_id = ${me}::uuid)
        and (${admin}::boolean or (select not r.require_admin
          or exists (select 1 from invoice_approvals a
            where a.tenant_id = i.tenant_id and a.invoice_id = i.id and a.round = i.review_round
              and a.approver_role = 'admin')
          or r.required_approvals - (select count(distinct a.approver_id) from invoice_approvals a
            where a.tenant_id = i.tenant_id and a.invoice_id = i.id and a.round = i.review_round) >= 2
          from approval_requirement(i.tenant_id, i.currency, i.total) r))
        ${keyset}`);
  }
  // Exactly the rows of invoices_tenant_creator_ready_drafts_idx (drizzle/0015), so that only a
  // read draft whose reading is running again is skipped on the way.
  list.push(sql`select i.id, i.created_at from invoices i
    where i.tenant_id = ${t}::uuid and i.created_by = ${me}::uuid and i.status = 'draft'
      and (i.rejected_by is not null or i.extraction is not null)
      and not exists (select 1 from ocr_jobs j
        where j.tenant_id = i.tenant_id and j.invoice_id = i.id and j.status in ('queued', 'running'))
      ${keyset}`);
  return list;
}

/** One page of the queue, in the inbox's row shape and paging (invoice.list's cursor). */
export async function waitingForMe(db: TenantDb, actor: WaitingActor, input: WaitingInput) {
  const after = input.cursor ? decodeInvoiceCursor(input.cursor) : undefined;
  const newest = input.sort === "newest";
  const dir = newest ? sql`desc` : sql`asc`;
  const limit = input.limit + 1;
  const parts = branches(actor, after, newest).map(
    (branch) => sql`(${branch} order by i.created_at ${dir}, i.id ${dir} limit ${limit})`,
  );
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select w.id from (${sql.join(parts, sql` union all `)}) w
        order by w.created_at ${dir}, w.id ${dir} limit ${limit}`,
  );
  if (rows.length === 0) return { items: [], nextCursor: null };
  // The queue's rows carry no actions, so not what they depend on either.
  const { items, nextCursor } = await listPage(
    db,
    actor,
    { sort: input.sort, limit: input.limit },
    after,
    rows.map((r) => r.id),
  );
  return { items, nextCursor };
}

/** How many invoices wait for the caller, up to waitingCountCap (capped says there are more). */
export async function waitingCount(db: TenantDb, actor: WaitingActor) {
  const parts = branches(actor, undefined, true).map(
    (branch) => sql`(select count(*) from (${branch} limit ${waitingCountCap + 1}) b)`,
  );
  const [row] = await queryRows<{ n: number | string }>(
    db,
    sql`select ${sql.join(parts, sql` + `)} as n`,
  );
  const n = Number(row?.n ?? 0);
  return { count: Math.min(n, waitingCountCap), capped: n > waitingCountCap };
}
