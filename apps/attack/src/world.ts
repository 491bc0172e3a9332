import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import {
  acceptInvitation,
  createRemitClient,
  createWorkerClient,
  signUp,
  uploadInvoice,
} from "@remit/client";
import { workerSecret } from "@remit/testkit";
import { PDFDocument, StandardFonts } from "pdf-lib";

/*
 * Two tenants seeded through the public API only: the victim (A) and the attacker (B), each
 * with invoices, a supplier, a comment and uploaded documents with OCR jobs; a person removed
 * from A (whose session is kept); a person in both tenants; and the OCR jobs claimed with the
 * worker credential, so their job tokens can be turned on each other.
 */

export interface Tenant {
  id: string;
  adminToken: string;
  adminEmail: string;
  /** A draft with no document, a draft with an uploaded PDF (and its OCR job). */
  invoiceId: string;
  uploadedInvoiceId: string;
  invoiceNumber: string;
  supplierId: string;
  supplierName: string;
  commentId: string;
  /** The member row of the person in both tenants, in this tenant. */
  dualMemberId: string;
  job: { id: string; token: string };
  /** The tenant's slug (no secret: it is the visible half of every inbound address). */
  slug: string;
  /** An inbound mail address of the tenant, in full, and its id. */
  mailAddress: string;
  mailAddressId: string;
  /** A saved inbox view of the tenant's admin. */
  viewId: string;
  /** An IMAP mailbox of the tenant (disabled: never polled), and its user name. */
  imapMailboxId: string;
  imapUsername: string;
  /**
   * A webhook endpoint (a public address, disabled: nothing is ever sent from the suite) and the
   * delivery of its test ping, which waits while the endpoint is disabled.
   */
  webhookEndpointId: string;
  webhookDeliveryId: string;
  webhookUrl: string;
}

export interface World {
  url: string;
  /** The API's SMTP listener (e-mail in) and its domain. */
  mail: { port: number; domain: string };
  victim: Tenant;
  attacker: Tenant;
  /** A's former member: signed in while a member, then removed; the session is kept. */
  leaverToken: string;
  /** A member of both tenants, for the switch race. */
  dualToken: string;
  /** Strings that belong to the victim alone: finding one in an attacker's answer is a leak. */
  markers: string[];
}

const password = "correct horse battery staple";
const tag = () => crypto.randomUUID().slice(0, 8);

async function pdf(text: string): Promise<string> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawText(text, {
    x: 50,
    y: 780,
    size: 14,
    font: await doc.embedFont(StandardFonts.Helvetica),
  });
  const path = join(mkdtempSync(join(tmpdir(), "remit-attack-")), `${tag()}.pdf`);
  writeFileSync(path, await doc.save());
  return path;
}

async function person(url: string, label: string) {
  const email = `${label}-${tag()}@attack.test`;
  const token = await signUp(url, { name: label, email, password });
  return { email, token };
}

async function seedTenant(url: string, label: string) {
  const admin = await person(url, `${label}-admin`);
  const client = createRemitClient({ url, token: admin.token });
  const tenant = await client.tenant.create.mutate({
    name: `Tenant ${label}`,
    slug: `${label}-${tag()}`,
  });
  const supplierName = `${label} Supplies ${tag()}`;
  const supplier = await client.supplier.create.mutate({
    name: supplierName,
    taxId: `TX-${tag()}`,
  });
  if (!supplier) throw new Error("no supplier");
  const invoiceNumber = `${label.toUpperCase()}-SECRET-${tag()}`;
  const invoice = await client.invoice.create.mutate({
    invoiceNumber,
    supplierId: supplier.id,
    total: "123.45",
    lineItems: [{ description: `${label} line`, amount: "123.45" }],
  });
  const comment = await client.comment.add.mutate({ invoiceId: invoice.id, body: `${label} note` });
  if (!comment) throw new Error("no comment");
  const file = await pdf(`${label} ${tag()}`);
  const uploaded = await uploadInvoice({ url, token: admin.token }, file).finally(() =>
    rmSync(dirname(file), { recursive: true, force: true }),
  );
  if (uploaded.kind !== "created") throw new Error("upload was a duplicate");
  const mailAddress = await client.mail.createAddress.mutate({ label: `${label} inbox` });
  const view = await client.view.create.mutate({
    name: `${label} view`,
    query: { status: "draft", sort: "totalDesc" },
  });
  const imapUsername = `${label}-${tag()}@imap.attack.test`;
  const imapMailbox = await client.imapMailbox.create.mutate({
    host: "127.0.0.1",
    port: 1,
    username: imapUsername,
    password: `${label}-imap-password`,
    enabled: false,
  });
  const webhookUrl = `https://93.184.215.14/${label}-hook-${tag()}`;
  const webhook = await client.webhook.create.mutate({
    url: webhookUrl,
    events: ["invoice.submitted", "invoice.approved", "invoice.rejected"],
    description: `${label} hook`,
    enabled: false,
  });
  const ping = await client.webhook.test.mutate({ id: webhook.endpoint.id });
  return {
    admin,
    client,
    tenant: {
      id: tenant.id,
      adminToken: admin.token,
      adminEmail: admin.email,
      invoiceId: invoice.id,
      uploadedInvoiceId: uploaded.invoiceId,
      invoiceNumber,
      supplierId: supplier.id,
      supplierName,
      commentId: comment.id,
      dualMemberId: "",
      job: { id: "", token: "" },
      slug: tenant.slug,
      mailAddress: mailAddress.address,
      mailAddressId: mailAddress.id,
      viewId: view.id,
      imapMailboxId: imapMailbox.id,
      imapUsername,
      webhookEndpointId: webhook.endpoint.id,
      webhookDeliveryId: ping.deliveryId,
      webhookUrl,
    } satisfies Tenant,
  };
}

/** The victim's approval band: an amount no attacker answer may carry. */
const victimBandTotal = "4242.42";

export async function seedWorld(url: string, mail: World["mail"]): Promise<World> {
  const a = await seedTenant(url, "victim");
  await a.client.settings.setApprovalBands.mutate({
    bands: [
      { currency: "EUR", minTotal: victimBandTotal, requiredApprovals: 3, requireAdmin: true },
    ],
  });
  const b = await seedTenant(url, "attacker");

  // A person in both tenants; a person who was in A and is removed (the session stays).
  const dual = await person(url, "dual");
  const leaver = await person(url, "leaver");
  for (const [side, who] of [
    [a, dual],
    [b, dual],
    [a, leaver],
  ] as const) {
    const invitation = await side.client.member.invite.mutate({ email: who.email, role: "user" });
    await acceptInvitation(url, who.token, invitation.id);
  }
  const dualClient = createRemitClient({ url, token: dual.token });
  await dualClient.tenant.switch.mutate({ tenantId: b.tenant.id });
  const leaverClient = createRemitClient({ url, token: leaver.token });
  await leaverClient.tenant.switch.mutate({ tenantId: a.tenant.id });
  await leaverClient.tenant.current.query();
  for (const side of [a, b]) {
    const members = await side.client.member.list.query();
    side.tenant.dualMemberId = members.find((m) => m.email === dual.email)?.id ?? "";
  }
  const leaverMember = (await a.client.member.list.query()).find((m) => m.email === leaver.email);
  if (!leaverMember) throw new Error("leaver not a member");
  await a.client.member.remove.mutate({ memberId: leaverMember.id });

  // Claim every queued job as the worker would, and keep each tenant's job token.
  const worker = createWorkerClient({ url, workerSecret });
  for (let i = 0; i < 10; i++) {
    const claimed = await worker.job.claim.mutate({ workerId: "attack-suite" });
    if (!claimed) break;
    const side = claimed.job.invoiceId === a.tenant.uploadedInvoiceId ? a : b;
    side.tenant.job = { id: claimed.job.id, token: claimed.token };
  }
  if (!a.tenant.job.id || !b.tenant.job.id) throw new Error("the uploads' jobs were not claimed");

  return {
    url,
    mail,
    victim: a.tenant,
    attacker: b.tenant,
    leaverToken: leaver.token,
    dualToken: dual.token,
    markers: [
      a.tenant.id,
      a.tenant.invoiceId,
      a.tenant.uploadedInvoiceId,
      a.tenant.invoiceNumber,
      a.tenant.supplierId,
      a.tenant.supplierName,
      a.tenant.commentId,
      a.tenant.adminEmail,
      a.tenant.mailAddress,
      a.tenant.mailAddressId,
      a.tenant.imapMailboxId,
      a.tenant.imapUsername,
      "victim-imap-password",
      a.tenant.webhookEndpointId,
      a.tenant.webhookDeliveryId,
      a.tenant.webhookUrl,
      "victim hook",
      "victim note",
      "victim line",
      victimBandTotal,
    ],
  };
}

/** Does an answer carry anything that belongs to the victim? */
export function leaks(world: World, value: unknown): string | null {
  const text = JSON.stringify(value ?? null);
  return world.markers.find((marker) => text.includes(marker)) ?? null;
}
