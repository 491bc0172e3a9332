import { mailAddresses, mailMessages, withTenant } from "@remit/db";
import { pngWith, rawPdf, ublInvoice, zipWith } from "@remit/testkit";
import nodemailer from "nodemailer";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DeliveryReport, mailActorId } from "../src/mail/deliver-message";
import { type MailListener, startMailListener } from "../src/mail/smtp-listener";
import { callerFor, createWorld, mailDomain, outcome, type World } from "./harness";

/*
 * E-mail in, end to end over real SMTP on 127.0.0.1: the listener in this process, nodemailer as
 * the sending server. Every delivery is awaited through the SMTP answer itself (250 is sent only
 * once every tenant's copy is stored), so nothing here waits on time.
 */

let world: World;
let listener: MailListener;
const maxBytes = 2 * 1024 * 1024;
const delivered: DeliveryReport[][] = [];
let addressA: { id: string; address: string };
let addressB: { id: string; address: string };

beforeAll(async () => {
  world = await createWorld();
  listener = await startMailListener(world.deps, {
    port: 0,
    host: "127.0.0.1",
    domain: mailDomain,
    maxBytes,
    onDelivered: ({ reports }) => delivered.push(reports),
    onError: (error) => console.error(error),
  });
  addressA = await (await callerFor(world.deps, world.a.admin)).mail.createAddress({
    label: "AP inbox",
  });
  addressB = await (await callerFor(world.deps, world.b.admin)).mail.createAddress({ label: "" });
});

afterAll(async () => {
  await listener?.close();
  await world?.close();
});

function transport() {
  return nodemailer.createTransport({
    host: "127.0.0.1",
    port: listener.port,
    secure: false,
    ignoreTLS: true,
    // One message per connection: a refused one must not leave the next waiting on a pool.
    pool: false,
  });
}

/** A one-page text-layer PDF, made distinct by `n` so that duplicates are not what is tested. */
function pdf(n: number): Buffer {
  return rawPdf({ objects: [`<< /RemitMailTest ${n} >>`] });
}

/** The SMTP reply code a send failed with, or 250. */
async function smtpCode(send: Promise<unknown>): Promise<number> {
  try {
    await send;
    return 250;
  } catch (error) {
    return (error as { responseCode?: number }).responseCode ?? -1;
  }
}

async function messagesOf(who: "a" | "b", onlyWithoutDocument = false) {
  const caller = await callerFor(world.deps, who === "a" ? world.a.admin : world.b.admin);
  return caller.mail.messages({ onlyWithoutDocument });
}

describe("addresses", () => {
  it("are <slug>+<token>@domain, keep only a hash, and are listed without their token", async () => {
    expect(addressA.address).toMatch(new RegExp(`^a-[0-9a-f]{8}\\+[a-z2-7]{26}@${mailDomain}$`));
    const token = addressA.address.split("+")[1]?.split("@")[0] ?? "";
    const settings = await (await callerFor(world.deps, world.a.admin)).mail.settings();
    expect(settings.domain).toBe(mailDomain);
    expect(settings.addresses.map((a) => a.id)).toContain(addressA.id);
    expect(JSON.stringify(settings)).not.toContain(token);
    const rows = await world.handle.db.select().from(mailAddresses);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it("are managed by admins only, and audited", async () => {
    for (const who of ["verifier", "user"] as const) {
      const caller = await callerFor(world.deps, world.a[who]);
      expect(await outcome(() => caller.mail.settings())).toBe("FORBIDDEN");
      expect(await outcome(() => caller.mail.createAddress({ label: "x" }))).toBe("FORBIDDEN");
    }
    const audit = await (await callerFor(world.deps, world.a.admin)).audit.list({
      action: "mail.address.create",
    });
    expect(audit.items.map((r) => r.entityId)).toContain(addressA.id);
  });

  it("RLS as remit_app: own addresses visible, the other tenant's not, cross-tenant insert refused", async () => {
    const asB = { tenantId: world.tenantB, userId: world.b.admin.userId, role: "admin" as const };
    const seen = await withTenant(world.deps.db, asB, (db) => db.select().from(mailAddresses));
    expect(seen.map((r) => r.id)).toContain(addressB.id);
    expect(seen.every((r) => r.tenantId === world.tenantB)).toBe(true);
    await expect(
      withTenant(world.deps.db, asB, (db) =>
        db.insert(mailMessages).values({
          tenantId: world.tenantA,
          addressId: addressA.id,
          sender: "forged@example.test",
          outcome: "no_document",
        }),
      ),
    ).rejects.toThrow();
  });
});

describe("SMTP", () => {
  it("one message to both tenants' addresses: each gets its own copy, nothing crosses", async () => {
    const code = await smtpCode(
      transport().sendMail({
        from: "billing@supplier.test",
        to: [addressA.address, addressB.address],
        subject: "Invoice 42",
        text: "Please find our invoice attached.",
        attachments: [{ filename: "invoice-42.pdf", content: pdf(1) }],
      }),
    );
    expect(code).toBe(250);
    for (const [who, tenantId] of [
      ["a", world.tenantA],
      ["b", world.tenantB],
    ] as const) {
      const person = who === "a" ? world.a.verifier : world.b.verifier;
      const caller = await callerFor(world.deps, person);
      const list = await caller.invoice.list({});
      expect(list.items.length).toBe(1);
      const invoice = list.items[0];
      if (!invoice) throw new Error("no invoice");
      const message = await caller.mail.ofInvoice({ invoiceId: invoice.id });
      expect(message?.subject).toBe("Invoice 42");
      expect(message?.sender).toBe("billing@supplier.test");
      expect(message?.bodyText).toContain("invoice attached");
      expect(message?.filename).toBe("invoice-42.pdf");
      const full = await caller.invoice.get({ id: invoice.id });
      expect(full.tenantId).toBe(tenantId);
      expect(full.createdBy).toBe(mailActorId);
    }
    const a = await callerFor(world.deps, world.a.admin);
    const b = await callerFor(world.deps, world.b.admin);
    const aInvoice = (await a.invoice.list({})).items[0];
    if (!aInvoice) throw new Error("no invoice in A");
    expect(await outcome(() => b.invoice.get({ id: aInvoice.id }))).toBe("NOT_FOUND");
    expect(await outcome(() => b.mail.ofInvoice({ invoiceId: aInvoice.id }))).toBe("NOT_FOUND");
    expect((await messagesOf("a")).length).toBe(1);
    expect((await messagesOf("b")).length).toBe(1);
  });

  it("a guessed token, a token under another tenant's slug, and a revoked address: 550 at RCPT", async () => {
    const [slugA] = addressA.address.split("+");
    const [, rest] = addressB.address.split("+");
    const guessed = `${slugA}+${"a".repeat(26)}@${mailDomain}`;
    const swapped = `${slugA}+${rest}`;
    for (const to of [guessed, swapped, `nobody@${mailDomain}`, "someone@elsewhere.test"]) {
      const code = await smtpCode(
        transport().sendMail({ from: "x@supplier.test", to, subject: "probe", text: "probe" }),
      );
      expect(code, to).toBe(550);
    }
    const admin = await callerFor(world.deps, world.a.admin);
    const spare = await admin.mail.createAddress({ label: "to revoke" });
    await admin.mail.revokeAddress({ id: spare.id });
    const code = await smtpCode(
      transport().sendMail({ from: "x@supplier.test", to: spare.address, text: "late" }),
    );
    expect(code).toBe(550);
    const rotated = await admin.mail.rotateAddress({ id: addressA.id });
    expect(
      await smtpCode(transport().sendMail({ from: "x@supplier.test", to: addressA.address })),
    ).toBe(550);
    addressA = rotated;
    expect((await messagesOf("a")).length).toBe(1);
  });

  it("an oversize message is refused (552) and nothing is kept", async () => {
    const before = delivered.length;
    const code = await smtpCode(
      transport().sendMail({
        from: "x@supplier.test",
        to: addressA.address,
        text: "too big",
        attachments: [{ filename: "big.pdf", content: Buffer.alloc(maxBytes, 1) }],
      }),
    );
    expect(code).toBe(552);
    expect(delivered.length).toBe(before);
    expect((await messagesOf("a")).length).toBe(1);
  });

  it("zip and executable attachments are refused and recorded; the message is shown to admins", async () => {
    const code = await smtpCode(
      transport().sendMail({
        from: "x@supplier.test",
        to: addressA.address,
        subject: "archive",
        text: "see attached",
        attachments: [
          { filename: "invoice.zip", content: zipWith("invoice.pdf", "not really") },
          {
            filename: "invoice.pdf.exe",
            content: Buffer.concat([Buffer.from("MZ"), Buffer.alloc(200, 0x90)]),
          },
        ],
      }),
    );
    expect(code).toBe(250);
    const [message] = await messagesOf("a", true);
    expect(message?.subject).toBe("archive");
    expect(message?.outcome).toBe("no_document");
    expect(message?.attachments.map((a) => a.outcome)).toEqual(["refused", "refused"]);
    expect(message?.attachments[0]?.reason).toMatch(/archive/);
    expect(message?.attachments[1]?.reason).toMatch(/executable/);
    expect((await messagesOf("b", true)).length).toBe(0);
  });

  it("PDF, JPEG, PNG and an XML e-invoice each become an invoice through the upload path", async () => {
    const jpeg = await sharp({
      create: { width: 32, height: 24, channels: 3, background: "#345" },
    })
      .jpeg()
      .toBuffer();
    const code = await smtpCode(
      transport().sendMail({
        from: "x@supplier.test",
        to: addressB.address,
        subject: "four kinds",
        attachments: [
          { filename: "a.pdf", content: pdf(4000) },
          { filename: "b.jpg", content: jpeg },
          { filename: "c.png", content: pngWith(30, 20) },
          { filename: "d.xml", content: Buffer.from(ublInvoice({ number: "UBL-MAIL-1" })) },
          // Declared as a PDF, but its bytes are a script: the bytes decide.
          {
            filename: "e.pdf",
            contentType: "application/pdf",
            content: Buffer.from("#!/bin/sh\nrm -rf /\n"),
          },
        ],
      }),
    );
    expect(code).toBe(250);
    const [message] = await messagesOf("b");
    expect(message?.subject).toBe("four kinds");
    expect(message?.attachments.map((a) => a.outcome)).toEqual([
      "created",
      "created",
      "created",
      "created",
      "refused",
    ]);
    expect(message?.attachments[4]?.reason).toMatch(/script/);
    const caller = await callerFor(world.deps, world.b.admin);
    const types = await Promise.all(
      (message?.attachments ?? [])
        .filter((a) => a.invoiceId)
        .map(async (a) => (await caller.invoice.get({ id: a.invoiceId ?? "" })).document),
    );
    expect(types.map((d) => d?.contentType)).toEqual([
      "application/pdf",
      "image/jpeg",
      "image/png",
      "application/xml",
    ]);
  });

  it("a message with no attachment at all is recorded, never dropped", async () => {
    expect(
      await smtpCode(
        transport().sendMail({ from: "x@supplier.test", to: addressA.address, subject: "hello" }),
      ),
    ).toBe(250);
    const list = await messagesOf("a", true);
    expect(list[0]?.subject).toBe("hello");
    expect(list[0]?.attachmentCount).toBe(0);
  });

  it("50 attachments in one message become 50 invoices", async () => {
    const caller = await callerFor(world.deps, world.a.admin);
    const other = await callerFor(world.deps, world.b.admin);
    const before = (await caller.invoice.list({ limit: 100 })).items.length;
    const otherBefore = (await other.invoice.list({ limit: 100 })).items.length;
    const code = await smtpCode(
      transport().sendMail({
        from: "x@supplier.test",
        to: addressA.address,
        subject: "batch",
        attachments: Array.from({ length: 50 }, (_, i) => ({
          filename: `batch-${i}.pdf`,
          content: pdf(100 + i),
        })),
      }),
    );
    expect(code).toBe(250);
    const after = (await caller.invoice.list({ limit: 100 })).items.length;
    expect(after - before).toBe(50);
    const [message] = await messagesOf("a");
    expect(message?.attachments.filter((a) => a.outcome === "created").length).toBe(50);
    expect((await other.invoice.list({ limit: 100 })).items.length).toBe(otherBefore);
    // Deleting one of the drafts keeps the record of what came in; it no longer names an invoice.
    const first = message?.attachments[0];
    if (!first?.invoiceId) throw new Error("no invoice for the first attachment");
    await caller.invoice.delete({ id: first.invoiceId });
    const [again] = await messagesOf("a");
    expect(again?.attachments[0]?.invoiceId).toBeNull();
    expect(again?.attachments[0]?.outcome).toBe("created");
  });

  it("more messages at once than delivery slots: each waits its turn and is stored", async () => {
    const before = (await messagesOf("b")).length;
    const codes = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        smtpCode(
          transport().sendMail({
            from: "x@supplier.test",
            to: addressB.address,
            subject: `parallel ${i}`,
            attachments: [{ filename: `p-${i}.pdf`, content: pdf(500 + i) }],
          }),
        ),
      ),
    );
    expect(codes).toEqual(Array(10).fill(250));
    expect((await messagesOf("b")).length).toBe(before + 10);
  });

  it("malformed MIME is taken as far as it can be read and recorded", async () => {
    const raw = [
      `From: "Broken" <broken@supplier.test>`,
      `To: ${addressA.address}`,
      "Subject: broken mime",
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="never-closed"',
      "",
      "--never-closed",
      "Content-Type: application/pdf; name=x.pdf",
      "Content-Transfer-Encoding: base64",
      "Content-Disposition: attachment; filename=x.pdf",
      "",
      "!!!! not base64 at all ####",
      "--never-closed",
      "Content-Type: text/plain",
      "",
      "body without an end",
    ].join("\r\n");
    const code = await smtpCode(
      transport().sendMail({
        envelope: { from: "broken@supplier.test", to: [addressA.address] },
        raw,
      }),
    );
    expect(code).toBe(250);
    const [message] = await messagesOf("a");
    expect(message?.subject).toBe("broken mime");
    expect(message?.outcome).toBe("no_document");
    expect(message?.attachments[0]?.outcome).toBe("refused");
  });

  it("the sender allowlist: mail from others is recorded but not read", async () => {
    const admin = await callerFor(world.deps, world.a.admin);
    await admin.mail.setAllowedSenders({ patterns: ["@trusted.test"] });
    expect(
      await smtpCode(
        transport().sendMail({
          from: "mallory@untrusted.test",
          to: addressA.address,
          subject: "not allowed",
          attachments: [{ filename: "x.pdf", content: pdf(999) }],
        }),
      ),
    ).toBe(250);
    const [message] = await messagesOf("a");
    expect(message?.outcome).toBe("sender_not_allowed");
    expect(message?.attachments).toEqual([]);
    expect(
      await smtpCode(
        transport().sendMail({
          from: "ap@trusted.test",
          to: addressA.address,
          subject: "allowed",
          attachments: [{ filename: "y.pdf", content: pdf(998) }],
        }),
      ),
    ).toBe(250);
    expect((await messagesOf("a"))[0]?.outcome).toBe("ingested");
    await admin.mail.setAllowedSenders({ patterns: [] });
  });
});
