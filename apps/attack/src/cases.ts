import { createRemitClient } from "@remit/client";
import type { Attack } from "./attack";
import { approvalPolicyIsolation } from "./attacks/approval";
import { bulkAttack } from "./attacks/bulk";
import { previewAttacks, signedUrlAttacks } from "./attacks/files";
import {
  forgedSecret,
  forgedTenant,
  guess,
  type Input,
  idor,
  jobAttacks,
  personRefused,
  removedSession,
  sameAnswer,
  tamperedToken,
  workerRefused,
} from "./attacks/generic";
import { switchRace } from "./attacks/race";
import { invoiceSearch, ownViewsOnly, supplierSearch } from "./attacks/search";
import { streamAttacks } from "./attacks/sse";
import { timing } from "./attacks/timing";
import { ownWebhookEndpoint, webhookSsrf } from "./attacks/webhooks";
import type { World } from "./world";

/*
 * The attack table, keyed by procedure path: every procedure of the router must have a row, or
 * the suite fails before it starts (like packages/api/test/cases.ts). A row says how the
 * procedure is reached and gives the inputs the generic attacks need; special attacks are
 * added where a procedure has a surface of its own (links, previews, search, live events).
 *
 * Adding a procedure: add a row. `tenant(victim, own)` for a tenant procedure: `victim` are
 * inputs naming the victim's rows (each must answer NOT_FOUND), `own` an input that works in
 * the attacker's own tenant.
 */

type Row = Attack[];

const client = (w: World) => createRemitClient({ url: w.url, token: w.attacker.adminToken });
const ownDraft = async (w: World) => (await client(w).invoice.create.mutate({ lineItems: [] })).id;
const ownSupplier = async (w: World) =>
  (await client(w).supplier.create.mutate({ name: `Throwaway ${crypto.randomUUID().slice(0, 6)}` }))
    ?.id ?? "";
const randomId = () => crypto.randomUUID();
const ownMailAddress = async (w: World) => ({
  id: (await client(w).mail.createAddress.mutate({ label: "throwaway" })).id,
});
const imapSettings = {
  host: "127.0.0.1",
  port: 1,
  username: "own@imap.attack.test",
  password: "own-imap-password",
  enabled: false,
};
const ownImapMailbox = async (w: World) => ({
  id: (await client(w).imapMailbox.create.mutate(imapSettings)).id,
});
const victimImapMailbox = (w: World) => ({ id: w.victim.imapMailboxId });

/** Creating a tenant makes it the session's active one: the attacker goes back to B after. */
function backHome(attack: Attack): Attack {
  return {
    ...attack,
    async run(ctx) {
      const outcome = await attack.run(ctx);
      await client(ctx.world).tenant.switch.mutate({ tenantId: ctx.world.attacker.id });
      return outcome;
    },
  };
}

/** The attacks of a procedure that acts in the caller's tenant. */
function tenant(victim: Input[], own: Input | undefined, ok = ["OK"], probed = true): Row {
  const first = victim[0];
  return [
    ...(first
      ? [idor(victim, "NOT_FOUND", probed), guess(first, "NOT_FOUND", probed), sameAnswer(first)]
      : []),
    forgedTenant(own, victim, ok),
    tamperedToken(first ?? own),
    removedSession(first ?? own),
  ];
}

const byId = (id: (w: World) => string) => (w: World) => ({ id: id(w) });
const victimInvoice = byId((w) => w.victim.invoiceId);
const victimUpload = byId((w) => w.victim.uploadedInvoiceId);
const victimSupplier = byId((w) => w.victim.supplierId);
const ownById = (make: (w: World) => Promise<string>) => async (w: World) => ({
  id: await make(w),
});

const extraction = {
  fields: {
    supplierName: null,
    supplierTaxId: null,
    invoiceNumber: null,
    invoiceDate: null,
    dueDate: null,
    currency: null,
    subtotal: null,
    tax: null,
    total: null,
    lineItems: [],
  },
  warnings: [],
  pages: [],
  timings: { totalMs: 1, perPageMs: [] },
};

export const attackCases: Record<string, Row> = {
  "tenant.mine": [
    forgedTenant(undefined, [], ["OK"]),
    tamperedToken(undefined),
    removedSession(undefined, "OK", []),
  ],
  // Any signed-in person may create a tenant of their own (so the removed member may too).
  "tenant.create": [
    backHome(
      forgedTenant(
        () => ({ name: "Forged", slug: `forged-${randomId().slice(0, 8)}` }),
        [],
        ["OK"],
      ),
    ),
    tamperedToken(() => ({ name: "Forged", slug: `forged-${randomId().slice(0, 8)}` })),
  ],
  "tenant.switch": [
    idor([(w) => ({ tenantId: w.victim.id })]),
    guess((w) => ({ tenantId: w.victim.id })),
    sameAnswer((w) => ({ tenantId: w.victim.id })),
    forgedTenant((w) => ({ tenantId: w.attacker.id }), [], ["OK"]),
    tamperedToken((w) => ({ tenantId: w.victim.id })),
    removedSession((w) => ({ tenantId: w.victim.id }), "NOT_FOUND", ["cross_tenant_id"]),
  ],
  "tenant.current": tenant([], undefined),

  "member.list": tenant([], undefined),
  "member.invite": tenant([], () => ({
    email: `x-${randomId().slice(0, 8)}@attack.test`,
    role: "user",
  })),
  "member.changeRole": tenant(
    [(w) => ({ memberId: w.victim.dualMemberId, role: "admin" })],
    (w) => ({ memberId: w.attacker.dualMemberId, role: "user" }),
  ),
  "member.remove": tenant(
    [(w) => ({ memberId: w.victim.dualMemberId })],
    () => ({ memberId: randomId() }),
    ["NOT_FOUND"],
  ),

  "supplier.list": tenant([], () => ({})),
  "supplier.search": [...tenant([], () => ({ q: "Supplies" })), supplierSearch],
  "supplier.get": tenant([victimSupplier], ownById(ownSupplier)),
  "supplier.create": tenant(
    // A tenant supplier of the victim's named as a "global" one: refused like a random id.
    [(w) => ({ name: "Adopted", globalSupplierId: w.victim.supplierId })],
    () => ({ name: `Own ${randomId().slice(0, 6)}` }),
    ["OK"],
  ).map((a) =>
    a.name === "idor"
      ? idor([(w) => ({ name: "Adopted", globalSupplierId: w.victim.supplierId })], "BAD_REQUEST")
      : a.name === "guess"
        ? guess((w) => ({ name: "Adopted", globalSupplierId: w.victim.supplierId }), "BAD_REQUEST")
        : a,
  ),
  "supplier.update": tenant(
    [(w) => ({ id: w.victim.supplierId, data: { name: "Pwned" } })],
    async (w) => ({ id: await ownSupplier(w), data: { name: "Renamed" } }),
  ),
  "supplier.delete": tenant([victimSupplier], ownById(ownSupplier)),
  // The victim's supplier is not a global one to copy: not found, like an id that never existed.
  "supplier.adopt": tenant([victimSupplier], ownById(ownSupplier)),

  "invoice.list": [...tenant([], () => ({})), invoiceSearch],
  "invoice.get": [...tenant([victimInvoice], ownById(ownDraft)), timing(victimInvoice)],
  "invoice.pageUrls": [
    ...tenant([victimUpload], (w) => ({ id: w.attacker.uploadedInvoiceId })),
    previewAttacks,
  ],
  "invoice.fileUrl": [
    ...tenant([victimUpload], (w) => ({ id: w.attacker.uploadedInvoiceId })),
    signedUrlAttacks,
  ],
  "invoice.create": [
    ...tenant([(w) => ({ supplierId: w.victim.supplierId, lineItems: [] })], () => ({
      invoiceNumber: "OWN",
      lineItems: [],
    })),
    switchRace,
  ],
  "invoice.update": tenant(
    [
      (w) => ({ id: w.victim.invoiceId, data: { total: "0.01" } }),
      // A cross-tenant reference inside the attacker's own invoice.
      async (w) => ({ id: await ownDraft(w), data: { supplierId: w.victim.supplierId } }),
    ],
    async (w) => ({ id: await ownDraft(w), data: { total: "1.00" } }),
  ),
  "invoice.delete": tenant([victimInvoice], ownById(ownDraft)),
  // The attacker's own empty draft fails the submit gate (no supplier, number, date...).
  "invoice.submit": tenant([victimInvoice], ownById(ownDraft), ["PRECONDITION_FAILED"]),
  // The attacker's own draft cannot be verified or approved: its own tenant's rules answer.
  "invoice.verify": tenant([victimInvoice], ownById(ownDraft), ["PRECONDITION_FAILED"]),
  "invoice.approve": tenant([victimInvoice], ownById(ownDraft), ["PRECONDITION_FAILED"]),
  // Marking the victim's invoice paid is NOT_FOUND (and recorded as a probe); the attacker's own
  // draft is not approved: its own tenant's answer.
  "invoice.markPaid": tenant(
    [(w) => ({ id: w.victim.invoiceId, reference: "pwned" })],
    async (w) => ({ id: await ownDraft(w) }),
    ["PRECONDITION_FAILED"],
  ),
  // The attacker's queue holds none of the victim's invoices.
  "invoice.waiting": [...tenant([], () => ({})), ownViewsOnly],
  "invoice.waitingCount": tenant([], () => undefined),
  // No OCR proposal on the attacker's own draft: its own tenant's answer.
  "invoice.applyProposal": tenant([victimInvoice], ownById(ownDraft), ["PRECONDITION_FAILED"]),
  "invoice.reject": tenant(
    [(w) => ({ id: w.victim.invoiceId, reason: "pwned" })],
    async (w) => ({ id: await ownDraft(w), reason: "no" }),
    ["PRECONDITION_FAILED"],
  ),

  // Per invoice, inside an answer that is OK: the foreign ids are checked by bulkAttack.
  "invoice.bulk": [
    bulkAttack,
    forgedTenant(async (w) => ({ action: "delete", ids: [await ownDraft(w)] }), [], ["OK"]),
    tamperedToken((w) => ({ action: "delete", ids: [w.victim.invoiceId] })),
    removedSession((w) => ({ action: "delete", ids: [w.victim.invoiceId] })),
  ],

  // Saved views are each person's own: the victim's are not reachable by id.
  "view.list": [...tenant([], undefined), ownViewsOnly],
  "view.create": tenant([], () => ({ name: `Own ${randomId().slice(0, 6)}`, query: {} })),
  "view.delete": tenant(
    [(w) => ({ id: w.victim.viewId })],
    async (w) => ({
      id: (await client(w).view.create.mutate({ name: `Own ${randomId().slice(0, 6)}`, query: {} }))
        .id,
    }),
    ["OK"],
    false,
  ),

  "settings.get": [...tenant([], () => undefined), approvalPolicyIsolation],
  "settings.setApprovalBands": tenant([], () => ({ bands: [] })),
  "settings.setSeparationOfDuties": tenant([], () => ({ enabled: true })),

  "comment.list": tenant([(w) => ({ invoiceId: w.victim.invoiceId })], (w) => ({
    invoiceId: w.attacker.invoiceId,
  })),
  "comment.add": tenant([(w) => ({ invoiceId: w.victim.invoiceId, body: "pwned" })], (w) => ({
    invoiceId: w.attacker.invoiceId,
    body: "own note",
  })),

  // Mail address and IMAP mailbox ids are among the isolation monitor's probe tables since
  // drizzle/0013: a foreign one is refused like a random id and recorded as a probe.
  "mail.settings": tenant([], undefined),
  "mail.createAddress": tenant([], () => ({ label: "own" })),
  "mail.rotateAddress": tenant([(w) => ({ id: w.victim.mailAddressId })], ownMailAddress),
  "mail.revokeAddress": tenant([(w) => ({ id: w.victim.mailAddressId })], ownMailAddress),
  "mail.setAllowedSenders": tenant([], () => ({ patterns: [] })),
  "mail.messages": tenant([], () => ({})),
  "mail.ofInvoice": tenant([(w) => ({ invoiceId: w.victim.invoiceId })], (w) => ({
    invoiceId: w.attacker.invoiceId,
  })),

  "imapMailbox.list": tenant([], undefined),
  "imapMailbox.get": tenant([victimImapMailbox], ownImapMailbox),
  "imapMailbox.create": tenant([], () => imapSettings),
  "imapMailbox.update": tenant(
    [(w) => ({ ...victimImapMailbox(w), data: { host: "127.0.0.2", password: "pwned" } })],
    async (w) => ({ ...(await ownImapMailbox(w)), data: { label: "own" } }),
  ),
  "imapMailbox.test": tenant([victimImapMailbox], ownImapMailbox),
  "imapMailbox.disable": tenant([victimImapMailbox], ownImapMailbox),
  "imapMailbox.delete": tenant([victimImapMailbox], ownImapMailbox),

  // Webhook endpoint and delivery ids are among the monitor's probe tables (drizzle/0014).
  "webhook.list": tenant([], undefined),
  "webhook.create": [
    ...tenant([], () => ({
      url: "https://93.184.215.14/attacker-own",
      events: ["invoice.submitted"],
      enabled: false,
    })),
    webhookSsrf,
  ],
  "webhook.update": [
    ...tenant(
      [(w) => ({ id: w.victim.webhookEndpointId, data: { url: "https://93.184.215.14/pwned" } })],
      (w) => ({ id: w.attacker.webhookEndpointId, data: { description: "own" } }),
    ),
    webhookSsrf,
  ],
  "webhook.delete": tenant([byId((w) => w.victim.webhookEndpointId)], ownWebhookEndpoint),
  "webhook.rotateSecret": tenant(
    [byId((w) => w.victim.webhookEndpointId)],
    byId((w) => w.attacker.webhookEndpointId),
  ),
  "webhook.test": tenant(
    [byId((w) => w.victim.webhookEndpointId)],
    byId((w) => w.attacker.webhookEndpointId),
  ),
  "webhook.deliveries": tenant([(w) => ({ endpointId: w.victim.webhookEndpointId })], () => ({})),
  "webhook.redeliver": tenant([(w) => ({ deliveryId: w.victim.webhookDeliveryId })], (w) => ({
    deliveryId: w.attacker.webhookDeliveryId,
  })),

  "audit.list": [...tenant([], () => ({})), ownViewsOnly],
  "health.tenantContext": [...tenant([], () => ({})), ownViewsOnly],
  "events.invoices": [streamAttacks],

  "health.liveness": [forgedTenant(undefined, [], ["OK"]), tamperedToken(undefined, "OK")].map(
    (a) =>
      a.name === "forged-tenant"
        ? { ...a, run: async (c) => ({ ...(await a.run(c)), violations: [] }) }
        : a,
  ),

  "job.claim": [personRefused({ workerId: "attacker" }), forgedSecret({ workerId: "attacker" })],
  "job.heartbeat": jobAttacks({ progress: 50 }),
  "job.complete": jobAttacks({ extraction }),
  "job.fail": jobAttacks({ error: "pwned", retryable: false }),
  "job.release": jobAttacks({}),

  "operator.recentViolations": [
    personRefused({ limit: 10 }),
    workerRefused({ limit: 10 }),
    forgedSecret({ limit: 10 }),
  ],
  "operator.tenantContextHealth": [
    personRefused({ windowMinutes: 60 }),
    workerRefused({ windowMinutes: 60 }),
    forgedSecret({ windowMinutes: 60 }),
  ],
};
