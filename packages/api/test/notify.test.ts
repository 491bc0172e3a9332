import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMailer } from "../src/notify/mailer";
import { addMember, callerFor, createWorld, type Person, signUp, type World } from "./harness";

/*
 * Notifications through a real SMTP receiver on 127.0.0.1: each step mails the people who can
 * take the next one (and the submitter a rejection), after the commit, and nobody of another
 * tenant ever gets one.
 */

interface Received {
  to: string[];
  subject: string;
  body: string;
}

let server: SMTPServer;
let received: Received[] = [];
let world: World;
let checker: Person;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", async () => {
        const mail = await simpleParser(Buffer.concat(chunks));
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: mail.subject ?? "",
          body: mail.text ?? "",
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  world = await createWorld({
    notify: {
      settings: { kind: "smtp", url: `smtp://127.0.0.1:${port}`, from: "Remit <remit@remit.test>" },
      appUrl: "http://app.remit.test",
    },
  });
  checker = await signUp(world.deps, "n-checker");
  await addMember(world.deps, world.tenantA, checker, "verifier");
});

afterAll(async () => {
  await world?.close();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

const as = (person: Person) => callerFor(world.deps, person);

/** What the step sent, once every mail it started has been delivered. */
async function sent(step: () => Promise<unknown>) {
  // Whatever earlier steps started is delivered before this one is counted.
  await world.deps.notifier?.settled();
  received = [];
  await step();
  await world.deps.notifier?.settled();
  return received;
}
const recipients = (mails: Received[]) => mails.flatMap((m) => m.to).sort();

const bTenant = () => [world.b.admin.email, world.b.verifier.email, world.b.user.email];

describe("notifications", () => {
  it("mails the verifiers on submit, the approvers on verify, the submitter on rejection", async () => {
    const user = await as(world.a.user);
    const supplier = await (await as(world.a.admin)).supplier.create({ name: "Notify supplier" });
    const invoice = await user.invoice.create({
      supplierId: supplier?.id,
      invoiceNumber: "N-1",
      invoiceDate: "2026-11-05",
      currency: "EUR",
      total: "50.00",
      lineItems: [],
    });

    const onSubmit = await sent(() => user.invoice.submit({ id: invoice.id }));
    expect(recipients(onSubmit)).toEqual(
      [world.a.admin.email, world.a.verifier.email, checker.email].sort(),
    );
    expect(onSubmit[0]?.subject).toBe("Invoice N-1 over 50.00 EUR waits for your verification");
    expect(onSubmit[0]?.body).toContain(`http://app.remit.test/invoices/${invoice.id}`);

    // The verifier verified: approvers are everyone allowed but the submitter and the verifier.
    const onVerify = await sent(async () =>
      (await as(world.a.verifier)).invoice.verify({ id: invoice.id }),
    );
    expect(recipients(onVerify)).toEqual([world.a.admin.email, checker.email].sort());
    expect(onVerify[0]?.subject).toBe("Invoice N-1 over 50.00 EUR waits for your approval");

    const onReject = await sent(async () =>
      (await as(checker)).invoice.reject({ id: invoice.id, reason: "wrong VAT rate" }),
    );
    expect(recipients(onReject)).toEqual([world.a.user.email]);
    expect(onReject[0]?.subject).toBe("Invoice N-1 over 50.00 EUR was rejected");
    expect(onReject[0]?.body).toContain("wrong VAT rate");

    for (const mail of [...onSubmit, ...onVerify, ...onReject]) {
      for (const other of bTenant()) expect(mail.to).not.toContain(other);
    }
  });

  it("asks the remaining approvers after a first of two, and nobody once it locks", async () => {
    const admin = await as(world.a.admin);
    await admin.settings.setApprovalBands({
      bands: [{ currency: "EUR", minTotal: "1000.00", requiredApprovals: 2, requireAdmin: true }],
    });
    try {
      const user = await as(world.a.user);
      const invoice = await user.invoice.create({
        supplierId: (await admin.supplier.create({ name: "Big supplier" }))?.id,
        invoiceNumber: "N-2",
        invoiceDate: "2026-11-05",
        currency: "EUR",
        total: "2500.00",
        lineItems: [],
      });
      await user.invoice.submit({ id: invoice.id });
      await (await as(world.a.verifier)).invoice.verify({ id: invoice.id });
      // The checker's approval leaves the admin's slot: only the admin is asked.
      const first = await sent(async () => (await as(checker)).invoice.approve({ id: invoice.id }));
      expect(recipients(first)).toEqual([world.a.admin.email]);
      const last = await sent(() => admin.invoice.approve({ id: invoice.id }));
      expect(last).toEqual([]);
    } finally {
      await admin.settings.setApprovalBands({ bands: [] });
    }
  });
});

describe("the development sink", () => {
  it("writes each message as an .eml file", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "remit-sink-")), "mail-sink");
    const mailer = createMailer({ kind: "sink", dir, from: "Remit <remit@localhost>" });
    await mailer.send({ to: "someone@example.test", subject: "Hello", text: "Body" });
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    const eml = readFileSync(join(dir, files[0] ?? ""), "utf8");
    expect(eml).toMatch(/^Subject: Hello$/m);
    expect(eml).toMatch(/^To: someone@example.test$/m);
  });
});
