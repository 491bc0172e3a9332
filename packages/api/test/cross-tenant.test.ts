import { queryRows } from "@remit/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { cases, invoke, routerPaths } from "./cases";
import { callerFor, createWorld, outcome, type World } from "./harness";

/*
 * Tenant B's admin calls every procedure that takes an id with tenant A's ids. Expected:
 * NOT_FOUND (exactly as for an id that never existed), and nothing of tenant A changed. The
 * procedures come from the router, through the case table that must cover all of them.
 */

let world: World;

beforeAll(async () => {
  // The isolation monitor tells the target tenant of a probe with a row in its audit log, on a
  // timer (1 s by default). On a busy machine that timer fired between a test's two snapshots
  // of A and was taken for a change B's call made. Here it writes only when the world closes;
  // what it writes is isolation-monitor.test.ts's subject.
  world = await createWorld({ violations: { flushEveryMs: 3_600_000 } });
});

afterAll(async () => {
  await world?.close();
});

/** A fingerprint of everything tenant A owns, read as the connecting role. */
async function snapshotOfA(): Promise<string> {
  const [row] = await queryRows<{ fingerprint: string }>(
    world.handle.db,
    sql`select md5(concat_ws('|',
          (select string_agg(i::text, ',' order by i.id) from invoices i where i.tenant_id = ${world.tenantA}),
          (select string_agg(l::text, ',' order by l.id) from invoice_line_items l where l.tenant_id = ${world.tenantA}),
          (select string_agg(c::text, ',' order by c.id) from invoice_comments c where c.tenant_id = ${world.tenantA}),
          (select string_agg(s::text, ',' order by s.id) from suppliers s where s.tenant_id = ${world.tenantA}),
          (select string_agg(y::text, ',' order by y.id) from supplier_layouts y where y.tenant_id = ${world.tenantA}),
          (select string_agg(m::text, ',' order by m.id) from members m where m.organization_id = ${world.tenantA}),
          (select string_agg(d::text, ',' order by d.id) from documents d where d.tenant_id = ${world.tenantA}),
          (select string_agg(j::text, ',' order by j.id) from ocr_jobs j where j.tenant_id = ${world.tenantA}),
          (select string_agg(a::text, ',' order by a.id) from audit_log a where a.tenant_id = ${world.tenantA}),
          (select string_agg(ma::text, ',' order by ma.id) from mail_addresses ma where ma.tenant_id = ${world.tenantA}),
          (select string_agg(ms::text, ',' order by ms.id) from mail_allowed_senders ms where ms.tenant_id = ${world.tenantA}),
          (select string_agg(mi::text, ',' order by mi.id) from mail_imap_mailboxes mi where mi.tenant_id = ${world.tenantA}),
          (select string_agg(v::text, ',' order by v.id) from invitations v where v.organization_id = ${world.tenantA}),
          (select string_agg(we::text, ',' order by we.id) from webhook_endpoints we where we.tenant_id = ${world.tenantA}),
          (select string_agg(wd::text, ',' order by wd.id) from webhook_deliveries wd where wd.tenant_id = ${world.tenantA}),
          (select t::text from tenants t where t.id = ${world.tenantA})
        )) as fingerprint`,
  );
  return row?.fingerprint ?? "";
}

const idCases = routerPaths().filter((path) => cases[path]?.takesId);

it("knows which procedures take an id (from the router)", () => {
  expect(idCases.length).toBeGreaterThan(10);
  expect(routerPaths().every((path) => cases[path] !== undefined)).toBe(true);
});

it.each(idCases)("%s with tenant A's ids: NOT_FOUND, and nothing of A changes", async (path) => {
  const input = await cases[path]?.prepare(world);
  const before = await snapshotOfA();
  const other = await callerFor(world.deps, world.b.admin);
  expect(await outcome(() => invoke(other, path, input))).toBe("NOT_FOUND");
  expect(await snapshotOfA()).toBe(before);

  // The same procedure with ids that never existed answers the same way, with the same message.
  const random = JSON.parse(
    JSON.stringify(input).replace(
      /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g,
      () => crypto.randomUUID(),
    ),
  );
  const messages = await Promise.all(
    [input, random].map((i) =>
      invoke(other, path, i).then(
        () => "OK",
        (e: Error & { code?: string }) => `${e.code}: ${e.message}`,
      ),
    ),
  );
  expect(messages[0]).toBe(messages[1]);
});

it("search and counts reveal nothing of another tenant", async () => {
  const a = await callerFor(world.deps, world.a.user);
  const tag = `secret-${crypto.randomUUID().slice(0, 8)}`;
  await a.invoice.create({ invoiceNumber: tag, lineItems: [] });
  await a.supplier.list();
  const b = await callerFor(world.deps, world.b.admin);
  const found = await b.invoice.list({ q: tag });
  expect(found.items).toEqual([]);
  expect(Object.values(found.counts).every((n) => n === 0)).toBe(true);
  expect(await b.supplier.search({ q: "Case supplier" })).toEqual([]);
  await b.invoice.create({ invoiceNumber: "B's own", lineItems: [] });
  const audit = await b.audit.list({});
  expect(audit.items.length).toBeGreaterThan(0);
  expect(audit.items.every((r) => r.tenantId === world.tenantB)).toBe(true);
});

it("a tenant named in the input is never taken over the session's", async () => {
  // invoice.create has no tenant field; an extra one is stripped, and the row lands in B.
  const b = await callerFor(world.deps, world.b.user);
  const created = await b.invoice.create({
    invoiceNumber: "forged",
    lineItems: [],
    tenantId: world.tenantA,
  } as never);
  expect(created.tenantId).toBe(world.tenantB);
});
