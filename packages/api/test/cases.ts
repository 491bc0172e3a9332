import { Readable } from "node:stream";
import { documents, invoices, type MemberRole, webhookEndpoints, withTenant } from "@remit/db";
import { originalKey } from "@remit/storage";
import { eq } from "drizzle-orm";
import { appRouter } from "../src";
import { addMember, callerFor, type Person, signUp, type World } from "./harness";
import { extractionOf } from "./job-fixtures";

/*
 * One table: every procedure of the router, what it needs to be called (fresh fixtures in
 * tenant A, made by A's admin), who may call it, and whether it takes an id (so that tenant B
 * calling it with A's ids must get NOT_FOUND or nothing). The tests derive their expectations
 * from here, and fail when the router has a procedure this table lacks.
 */

export type Who = MemberRole | "other" | "anonymous";
export const everyone: Who[] = ["admin", "verifier", "user", "other", "anonymous"];

export interface ProcedureCase {
  /**
   * Roles of tenant A allowed; "other" (B's admin) and "anonymous" are derived below. "worker":
   * only the OCR worker's credential or a job token opens it (tested in job-*.test.ts); to
   * every person it is UNAUTHORIZED. "operator": only REMIT_OPERATOR_SECRET opens it (tested in
   * isolation-monitor.test.ts); to every person it is UNAUTHORIZED too.
   */
  allow: MemberRole[] | "signed-in" | "public" | "worker" | "operator";
  /** Takes an id of tenant A: B gets NOT_FOUND (or an empty answer) and nothing changes. */
  takesId: boolean;
  /** `who`: the caller about to use the input (for rows that are each person's own). */
  prepare: (world: World, who?: Who) => Promise<unknown>;
  /** Restores the caller's session after a call that changes its active tenant. */
  after?: (world: World, who: Who) => Promise<void>;
}

type Caller = Awaited<ReturnType<typeof callerFor>>;

async function admin(world: World): Promise<Caller> {
  return callerFor(world.deps, world.a.admin);
}
/**
 * Separation of duties (drizzle/0009): whoever submitted may not verify, whoever submitted or
 * verified may not approve. So that each row below tests a role's permission and not that
 * rule, invoices are submitted by a clerk and verified by a checker, two more people of tenant
 * A; the rule itself has its own table in role-matrix.test.ts.
 */
interface Helpers {
  clerk: Person;
  checker: Person;
  supplierId: string;
}
const helpers = new WeakMap<World, Promise<Helpers>>();
export function helpersOf(w: World): Promise<Helpers> {
  let found = helpers.get(w);
  if (!found) {
    found = (async () => {
      const clerk = await signUp(w.deps, "clerk");
      await addMember(w.deps, w.tenantA, clerk, "user");
      const checker = await signUp(w.deps, "checker");
      await addMember(w.deps, w.tenantA, checker, "verifier");
      const s = await (await admin(w)).supplier.create({ name: "Case supplier of record" });
      if (!s) throw new Error("no supplier");
      return { clerk, checker, supplierId: s.id };
    })();
    helpers.set(w, found);
  }
  return found;
}
/** A draft the submit gate accepts: supplier, number, date, total and currency filled in. */
export const draft = async (w: World) =>
  (await admin(w)).invoice.create({
    supplierId: (await helpersOf(w)).supplierId,
    invoiceNumber: "CASE",
    invoiceDate: "2026-01-15",
    currency: "EUR",
    total: "10.00",
    lineItems: [],
  });
export const pending = async (w: World) => {
  const inv = await draft(w);
  await (await callerFor(w.deps, (await helpersOf(w)).clerk)).invoice.submit({ id: inv.id });
  return inv;
};
export const verified = async (w: World) => {
  const inv = await pending(w);
  await (await callerFor(w.deps, (await helpersOf(w)).checker)).invoice.verify({ id: inv.id });
  return inv;
};
/** Approved by A's admin (neither its submitter nor its verifier): locked, approved_to_ap. */
export const approved = async (w: World) => {
  const inv = await verified(w);
  await (await admin(w)).invoice.approve({ id: inv.id });
  return inv;
};
/** A pending invoice carrying an OCR result that arrived after it left draft. */
const withProposal = async (w: World) => {
  const inv = await pending(w);
  await withTenant(
    w.deps.db,
    { tenantId: w.tenantA, userId: w.a.admin.userId, role: "admin" },
    (tx) =>
      tx
        .update(invoices)
        .set({
          ocrProposal: {
            header: { total: "12.00" },
            lineItems: null,
            jobId: crypto.randomUUID(),
            extractedAt: new Date().toISOString(),
          },
        })
        .where(eq(invoices.id, inv.id)),
  );
  return inv;
};
/** A draft with a stored PDF, as an upload leaves it (the upload itself is tested over HTTP). */
const withDocument = async (w: World) => {
  const invoice = await draft(w);
  const parts = { tenantId: w.tenantA, userId: w.a.admin.userId, invoiceId: invoice.id };
  const key = originalKey(parts, "application/pdf");
  const put = await w.deps.store.put(key, Readable.from([Buffer.from(`%PDF-1.4 ${invoice.id}`)]), {
    maxBytes: 1024,
    contentType: "application/pdf",
  });
  await withTenant(w.deps.db, { ...parts, role: "admin" }, (tx) =>
    tx.insert(documents).values({
      tenantId: w.tenantA,
      invoiceId: invoice.id,
      storageKey: key,
      originalFilename: "case.pdf",
      contentType: "application/pdf",
      byteSize: put.bytes,
      sha256: put.sha256,
      createdBy: w.a.admin.userId,
    }),
  );
  return invoice;
};
const supplier = async (w: World) => {
  const s = await (await admin(w)).supplier.create({
    name: `Case supplier ${crypto.randomUUID().slice(0, 6)}`,
  });
  if (!s) throw new Error("no supplier");
  return s;
};
const extraMember = async (w: World) => {
  const person = await signUp(w.deps, "extra");
  await addMember(w.deps, w.tenantA, person, "user");
  const rows = await (await admin(w)).member.list();
  const row = rows.find((m) => m.userId === person.userId);
  if (!row) throw new Error("member not added");
  return row.id;
};

const mailAddress = async (w: World) => {
  const created = await (await admin(w)).mail.createAddress({ label: "case" });
  return { id: created.id };
};

/**
 * An IMAP mailbox of A, on a loopback port nothing listens on (a connection test is refused at
 * once). Shared per world: a tenant may have at most 10. `fresh` for the one that is deleted.
 */
const imapSettings = {
  host: "127.0.0.1",
  port: 1,
  username: "case@example.test",
  password: "case-password",
};
const sharedMailbox = new WeakMap<World, Promise<string>>();
const imapMailbox = (fresh: boolean) => async (w: World) => {
  const create = async () => (await (await admin(w)).imapMailbox.create(imapSettings)).id;
  if (fresh) return { id: await create() };
  let id = sharedMailbox.get(w);
  if (!id) {
    id = create();
    sharedMailbox.set(w, id);
  }
  return { id: await id };
};

/*
 * A public IP literal: registration needs no DNS. The endpoints are disabled, so nothing is
 * queued for them by the invoices these tests move, and their test pings wait: on a shared
 * PostgreSQL database, another file's dispatcher never tries to send anything there.
 */
const hookUrl = "https://93.184.215.14/remit-hook";
const webhookEndpoint = async (w: World) => {
  // A tenant may have 20 endpoints; the matrix makes one per call, so it starts from none.
  await withTenant(
    w.deps.db,
    { tenantId: w.tenantA, userId: w.a.admin.userId, role: "admin" },
    (tx) => tx.delete(webhookEndpoints),
  );
  const created = await (await admin(w)).webhook.create({
    url: hookUrl,
    events: ["invoice.submitted"],
    enabled: false,
  });
  return created.endpoint.id;
};
const webhookEndpointInput = async (w: World) => ({ id: await webhookEndpoint(w) });
const webhookDelivery = async (w: World) => {
  const id = await webhookEndpoint(w);
  const { deliveryId } = await (await admin(w)).webhook.test({ id });
  return { deliveryId };
};

export const cases: Record<string, ProcedureCase> = {
  "tenant.mine": { allow: "signed-in", takesId: false, prepare: async () => undefined },
  "tenant.create": {
    allow: "signed-in",
    takesId: false,
    prepare: async () => ({
      name: "Made in a test",
      slug: `case-${crypto.randomUUID().slice(0, 8)}`,
    }),
    after: async (w, who) => {
      if (who === "anonymous") return;
      const person = who === "other" ? w.b.admin : w.a[who];
      const home = who === "other" ? w.tenantB : w.tenantA;
      await w.deps.auth.api.setActiveOrganization({
        headers: person.headers,
        body: { organizationId: home },
      });
    },
  },
  "tenant.switch": {
    allow: "signed-in",
    takesId: true,
    prepare: async (w) => ({ tenantId: w.tenantA }),
  },
  "tenant.current": { allow: "signed-in", takesId: false, prepare: async () => undefined },

  "member.list": { allow: ["admin"], takesId: false, prepare: async () => undefined },
  "member.invite": {
    allow: ["admin"],
    takesId: false,
    prepare: async () => ({
      email: `invitee-${crypto.randomUUID().slice(0, 8)}@example.test`,
      role: "user",
    }),
  },
  "member.changeRole": {
    allow: ["admin"],
    takesId: true,
    prepare: async (w) => ({ memberId: await extraMember(w), role: "verifier" }),
  },
  "member.remove": {
    allow: ["admin"],
    takesId: true,
    prepare: async (w) => ({ memberId: await extraMember(w) }),
  },

  "supplier.list": {
    allow: ["admin", "verifier", "user"],
    takesId: false,
    prepare: async () => ({}),
  },
  "supplier.search": {
    allow: ["admin", "verifier", "user"],
    takesId: false,
    prepare: async () => ({ q: "Case" }),
  },
  "supplier.get": {
    allow: ["admin", "verifier", "user"],
    takesId: true,
    prepare: async (w) => ({ id: (await supplier(w)).id }),
  },
  "supplier.create": {
    allow: ["admin", "verifier"],
    takesId: false,
    prepare: async () => ({ name: "New supplier" }),
  },
  "supplier.update": {
    allow: ["admin", "verifier"],
    takesId: true,
    prepare: async (w) => ({ id: (await supplier(w)).id, data: { name: "Renamed" } }),
  },
  "supplier.adopt": {
    allow: ["admin", "verifier"],
    takesId: true,
    // A tenant supplier is adopted as it is; copying a global one is supplier-adopt.test.ts.
    prepare: async (w) => ({ id: (await supplier(w)).id }),
  },
  "supplier.delete": {
    allow: ["admin", "verifier"],
    takesId: true,
    prepare: async (w) => ({ id: (await supplier(w)).id }),
  },

  "invoice.list": {
    allow: ["admin", "verifier", "user"],
    takesId: false,
    prepare: async () => ({}),
  },
  "invoice.pageUrls": {
    allow: ["admin", "verifier", "user"],
    takesId: true,
    prepare: async (w) => ({ id: (await withDocument(w)).id }),
  },
  "invoice.fileUrl": {
    allow: ["admin", "verifier", "user"],
    takesId: true,
    prepare: async (w) => ({ id: (await withDocument(w)).id }),
  },
  "invoice.get": {
    allow: ["admin", "verifier", "user"],
    takesId: true,
    prepare: async (w) => ({ id: (await draft(w)).id }),
  },
  "invoice.create": {
    allow: ["admin", "verifier", "user"],
    takesId: false,
    prepare: async () => ({ invoiceNumber: "NEW", lineItems: [] }),
  },
  "invoice.update": {
    allow: ["admin", "verifier", "user"],
    takesId: true,
    prepare: async (w) => ({ id: (await draft(w)).id, data: { total: "10.00" } }),
  },
  "invoice.delete": {
    allow: ["admin", "verifier", "user"],
    takesId: true,
    prepare: async (w) => ({ id: (await draft(w)).id }),
  },
  "invoice.submit": {
    allow: ["admin", "verifier", "user"],
    takesId: true,
    prepare: async (w) => ({ id: (await draft(w)).id }),
  },
  "invoice.verify": {
    allow: ["admin", "verifier"],
    takesId: true,
    prepare: async (w) => ({ id: (await pending(w)).id }),
  },
  "invoice.approve": {
    allow: ["admin", "verifier"],
    takesId: true,
    prepare: async (w) => ({ id: (await verified(w)).id }),
  },
  "invoice.markPaid": {
    allow: ["admin", "verifier"],
    takesId: true,
    prepare: async (w) => ({ id: (await approved(w)).id, reference: "TRX-CASE" }),
  },
  "invoice.waiting": {
    allow: ["admin", "verifier", "user"],
    takesId: false,
    prepare: async () => ({}),
  },
  "invoice.waitingCount": {
    allow: ["admin", "verifier", "user"],
    takesId: false,
    prepare: async () => undefined,
  },
  "invoice.applyProposal": {
    allow: ["admin", "verifier", "user"],
    takesId: true,
    prepare: async (w) => ({ id: (await withProposal(w)).id }),
  },
  "invoice.reject": {
    allow: ["admin", "verifier"],
    takesId: true,
    prepare: async (w) => ({ id: (await pending(w)).id, reason: "not ours" }),
  },

  // The call answers per invoice (A's ids in B: NOT_FOUND each, inside an OK answer; tested in
  // inbox-columns.test.ts); a role without the step's permission is refused as a whole.
  "invoice.bulk": {
    allow: ["admin", "verifier"],
    takesId: false,
    prepare: async (w) => ({ action: "verify", ids: [(await pending(w)).id] }),
  },

  "view.list": {
    allow: ["admin", "verifier", "user"],
    takesId: false,
    prepare: async () => undefined,
  },
  "view.create": {
    allow: ["admin", "verifier", "user"],
    takesId: false,
    prepare: async () => ({
      name: `View ${crypto.randomUUID().slice(0, 8)}`,
      query: { status: "draft", hasWarnings: true },
    }),
  },
  // A view is its owner's: made by the caller about to delete it (by A's admin for B and anonymous).
  "view.delete": {
    allow: ["admin", "verifier", "user"],
    takesId: true,
    prepare: async (w, who) => {
      const owner = who === "admin" || who === "verifier" || who === "user" ? w.a[who] : w.a.admin;
      const view = await (await callerFor(w.deps, owner)).view.create({
        name: `Mine ${crypto.randomUUID().slice(0, 8)}`,
        query: {},
      });
      return { id: view.id };
    },
  },

  "settings.get": {
    allow: ["admin", "verifier", "user"],
    takesId: false,
    prepare: async () => undefined,
  },
  // Setting what is already set: the matrix checks who may, not what it does.
  "settings.setSeparationOfDuties": {
    allow: ["admin"],
    takesId: false,
    prepare: async () => ({ enabled: true }),
  },
  "settings.setApprovalBands": {
    allow: ["admin"],
    takesId: false,
    prepare: async () => ({ bands: [] }),
  },

  "comment.list": {
    allow: ["admin", "verifier", "user"],
    takesId: true,
    prepare: async (w) => ({ invoiceId: (await draft(w)).id }),
  },
  "comment.add": {
    allow: ["admin", "verifier", "user"],
    takesId: true,
    prepare: async (w) => ({ invoiceId: (await draft(w)).id, body: "a note" }),
  },

  "audit.list": { allow: ["admin"], takesId: false, prepare: async () => ({}) },

  "events.invoices": {
    allow: ["admin", "verifier", "user"],
    takesId: false,
    prepare: async () => undefined,
  },

  "job.claim": { allow: "worker", takesId: false, prepare: async () => ({ workerId: "case" }) },
  "job.heartbeat": {
    allow: "worker",
    takesId: false,
    prepare: async () => ({ jobId: crypto.randomUUID(), progress: 10 }),
  },
  "job.complete": {
    allow: "worker",
    takesId: false,
    prepare: async () => ({
      jobId: crypto.randomUUID(),
      extraction: extractionOf({}),
    }),
  },
  "job.release": {
    allow: "worker",
    takesId: false,
    prepare: async () => ({ jobId: crypto.randomUUID() }),
  },
  "job.fail": {
    allow: "worker",
    takesId: false,
    prepare: async () => ({ jobId: crypto.randomUUID(), error: "x", retryable: true }),
  },

  "operator.recentViolations": {
    allow: "operator",
    takesId: false,
    prepare: async () => ({ limit: 10 }),
  },
  "operator.tenantContextHealth": {
    allow: "operator",
    takesId: false,
    prepare: async () => ({ windowMinutes: 60 }),
  },

  "mail.settings": { allow: ["admin"], takesId: false, prepare: async () => undefined },
  "mail.createAddress": {
    allow: ["admin"],
    takesId: false,
    prepare: async () => ({ label: "case" }),
  },
  "mail.rotateAddress": { allow: ["admin"], takesId: true, prepare: mailAddress },
  "mail.revokeAddress": { allow: ["admin"], takesId: true, prepare: mailAddress },
  "mail.setAllowedSenders": {
    allow: ["admin"],
    takesId: false,
    prepare: async () => ({ patterns: [] }),
  },
  "mail.messages": { allow: ["admin"], takesId: false, prepare: async () => ({}) },
  "mail.ofInvoice": {
    allow: ["admin", "verifier", "user"],
    takesId: true,
    prepare: async (w) => ({ invoiceId: (await draft(w)).id }),
  },

  "imapMailbox.list": { allow: ["admin"], takesId: false, prepare: async () => undefined },
  "imapMailbox.get": { allow: ["admin"], takesId: true, prepare: imapMailbox(false) },
  "imapMailbox.create": {
    allow: ["admin"],
    takesId: false,
    prepare: async () => ({ ...imapSettings, enabled: false }),
  },
  "imapMailbox.update": {
    allow: ["admin"],
    takesId: true,
    prepare: async (w) => ({ ...(await imapMailbox(false)(w)), data: { label: "changed" } }),
  },
  "imapMailbox.test": { allow: ["admin"], takesId: true, prepare: imapMailbox(false) },
  "imapMailbox.disable": { allow: ["admin"], takesId: true, prepare: imapMailbox(false) },
  "imapMailbox.delete": { allow: ["admin"], takesId: true, prepare: imapMailbox(true) },

  "webhook.list": { allow: ["admin"], takesId: false, prepare: async () => undefined },
  "webhook.create": {
    allow: ["admin"],
    takesId: false,
    prepare: async () => ({ url: hookUrl, events: ["invoice.approved"], enabled: false }),
  },
  "webhook.update": {
    allow: ["admin"],
    takesId: true,
    prepare: async (w) => ({ id: await webhookEndpoint(w), data: { description: "case" } }),
  },
  "webhook.delete": { allow: ["admin"], takesId: true, prepare: webhookEndpointInput },
  "webhook.rotateSecret": { allow: ["admin"], takesId: true, prepare: webhookEndpointInput },
  "webhook.test": { allow: ["admin"], takesId: true, prepare: webhookEndpointInput },
  "webhook.deliveries": {
    allow: ["admin"],
    takesId: true,
    prepare: async (w) => ({ endpointId: await webhookEndpoint(w) }),
  },
  "webhook.redeliver": { allow: ["admin"], takesId: true, prepare: webhookDelivery },

  "health.liveness": { allow: "public", takesId: false, prepare: async () => undefined },
  "health.tenantContext": { allow: ["admin"], takesId: false, prepare: async () => ({}) },
};

/** What `who` should get from the procedure `path`. */
export function expected(
  path: string,
  who: Who,
): "OK" | "FORBIDDEN" | "UNAUTHORIZED" | "NOT_FOUND" {
  const c = cases[path];
  if (!c) throw new Error(`no case for ${path}`);
  if (c.allow === "public") return "OK";
  if (c.allow === "worker" || c.allow === "operator") return "UNAUTHORIZED";
  if (who === "anonymous") return "UNAUTHORIZED";
  if (who === "other") {
    // B's admin acts in tenant B: A's ids do not exist there; everything else is its own tenant.
    return c.takesId ? "NOT_FOUND" : "OK";
  }
  if (c.allow === "signed-in") return "OK";
  return c.allow.includes(who) ? "OK" : "FORBIDDEN";
}

/** Every procedure path the router actually has. */
export function routerPaths(): string[] {
  return Object.keys(appRouter._def.procedures).sort();
}

/** Calls `path` on a caller, by name. */
export function invoke(caller: Caller, path: string, input: unknown): Promise<unknown> {
  const [noun, verb] = path.split(".") as [string, string];
  const group = (
    caller as unknown as Record<string, Record<string, (input: unknown) => Promise<unknown>>>
  )[noun];
  const fn = group?.[verb];
  if (!fn) throw new Error(`no procedure ${path}`);
  return fn(input);
}

export function personFor(world: World, who: Who) {
  if (who === "anonymous") return null;
  return who === "other" ? world.b.admin : world.a[who];
}
