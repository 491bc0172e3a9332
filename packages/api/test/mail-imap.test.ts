import {
  auditLog,
  invoices,
  mailImapMailboxes,
  mailMessages,
  sqlState,
  withTenant,
} from "@remit/db";
import { mimeMessage, rawPdf, startImapServer, type TestImapServer } from "@remit/testkit";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runImapPolls } from "../src/mail/imap/imap-poller";
import type { ImapSettings } from "../src/mail/imap/imap-settings";
import { openMailboxPassword } from "../src/mail/imap/mailbox-password";
import { pollMailbox } from "../src/mail/imap/poll-mailbox";
import { callerFor, createWorld, outcome, type World } from "./harness";

/*
 * IMAP polling end to end: a real IMAP server on 127.0.0.1 (packages/testkit, mailboxes of test
 * data) and the product's real client, poller, ingestion path and database. Each poll is awaited;
 * nothing waits on time. The world allows private hosts and plaintext IMAP, as an operator would
 * for a mail server on its own network; the SSRF cases turn that off.
 */

let world: World;
let server: TestImapServer;
const passwords = { a: "a-secret-Pa55word!", b: "b-secret-Pa55word!" };
let mailboxA: { id: string };
let mailboxB: { id: string };

const strict = (): ImapSettings => ({ ...world.deps.imap, allowPrivateHosts: false });

beforeAll(async () => {
  world = await createWorld({
    imap: {
      allowPrivateHosts: true,
      allowPlaintext: true,
      connectTimeoutMs: 2_000,
      commandTimeoutMs: 5_000,
    },
  });
  server = await startImapServer();
  server.addAccount("ap-a@example.test", passwords.a);
  server.createFolder("ap-a@example.test", "Processed");
  server.addAccount("ap-b@example.test", passwords.b);
  const settings = { host: "127.0.0.1", port: server.port, tlsMode: "none" as const };
  mailboxA = await (await callerFor(world.deps, world.a.admin)).imapMailbox.create({
    ...settings,
    label: "AP",
    username: "ap-a@example.test",
    password: passwords.a,
    processedFolder: "Processed",
  });
  mailboxB = await (await callerFor(world.deps, world.b.admin)).imapMailbox.create({
    ...settings,
    username: "ap-b@example.test",
    password: passwords.b,
  });
});

afterAll(async () => {
  await server?.close();
  await world?.close();
});

let counter = 0;
function invoiceMail(subject: string, attachments = 1) {
  return mimeMessage({
    from: "billing@supplier.test",
    to: ["ap@example.test"],
    subject,
    text: `Please find ${subject} attached.`,
    attachments: Array.from({ length: attachments }, () => ({
      filename: `invoice-${++counter}.pdf`,
      contentType: "application/pdf",
      content: rawPdf({ objects: [`<< /RemitImapTest ${counter} >>`] }),
    })),
  });
}

const admin = (who: "a" | "b") =>
  callerFor(world.deps, who === "a" ? world.a.admin : world.b.admin);
const invoiceCount = async (who: "a" | "b") =>
  (await (await admin(who)).invoice.list({})).items.length;

/** Polls one mailbox now, due or not. */
function pollNow(tenantId: string, mailboxId: string, settings: ImapSettings = world.deps.imap) {
  return pollMailbox(
    world.deps,
    settings,
    { tenantId, mailboxId },
    { deadline: Date.now() + 20_000 },
  );
}

/** Makes every mailbox due now (the poller only takes due ones). */
async function allDue() {
  await world.handle.db.update(mailImapMailboxes).set({ nextPollAt: new Date(Date.now() - 1000) });
}

describe("settings", () => {
  it("the password is sealed in the row and never returned, not even in the audit", async () => {
    const a = await admin("a");
    const answers = [await a.imapMailbox.list(), await a.imapMailbox.get({ id: mailboxA.id })];
    for (const answer of answers) {
      expect(JSON.stringify(answer)).not.toContain(passwords.a);
      expect(JSON.stringify(answer)).not.toContain("passwordSealed");
    }
    expect(answers[1]).toMatchObject({ passwordSet: true, host: "127.0.0.1", folder: "INBOX" });
    const [row] = await world.handle.db
      .select()
      .from(mailImapMailboxes)
      .where(eq(mailImapMailboxes.id, mailboxA.id));
    expect(row?.passwordSealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(row?.passwordSealed).not.toContain(passwords.a);
    expect(Buffer.from(JSON.stringify(row)).includes(Buffer.from(passwords.a))).toBe(false);
    const audit = await world.handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, mailboxA.id), eq(auditLog.action, "mail.imap.create")));
    expect(audit.length).toBe(1);
    expect(JSON.stringify(audit)).not.toContain(passwords.a);
    expect(audit[0]?.summary).toMatchObject({
      passwordChanged: true,
      username: "ap-a@example.test",
    });
  });

  it("a sealed password opens only for its own tenant and mailbox", async () => {
    const [row] = await world.handle.db
      .select()
      .from(mailImapMailboxes)
      .where(eq(mailImapMailboxes.id, mailboxA.id));
    const sealed = row?.passwordSealed ?? "";
    const key = world.deps.imap.sealingKey;
    expect(
      openMailboxPassword(key, { tenantId: world.tenantA, mailboxId: mailboxA.id }, sealed),
    ).toBe(passwords.a);
    expect(() =>
      openMailboxPassword(key, { tenantId: world.tenantB, mailboxId: mailboxB.id }, sealed),
    ).toThrow("does not open");
  });

  it("the connection test logs in read-only and says what is wrong in a sentence", async () => {
    const a = await admin("a");
    expect(await a.imapMailbox.test({ id: mailboxA.id })).toEqual({
      ok: true,
      error: null,
      messages: 0,
    });
    const wrongFolder = await a.imapMailbox.create({
      host: "127.0.0.1",
      port: server.port,
      tlsMode: "none",
      username: "ap-a@example.test",
      password: passwords.a,
      folder: "Invoices",
      enabled: false,
    });
    expect(await a.imapMailbox.test({ id: wrongFolder.id })).toMatchObject({
      ok: false,
      error: 'the folder "Invoices" does not exist on the mail server',
    });
    await a.imapMailbox.update({
      id: wrongFolder.id,
      data: { folder: "INBOX", processedFolder: "Done" },
    });
    expect((await a.imapMailbox.test({ id: wrongFolder.id })).error).toBe(
      'the folder "Done" for processed messages does not exist on the mail server',
    );
    await a.imapMailbox.delete({ id: wrongFolder.id });
  });

  it("a server that never answers is a timeout sentence, within the bound", async () => {
    const silent = await startImapServer({ silent: true });
    try {
      const a = await admin("a");
      const hung = await a.imapMailbox.create({
        host: "127.0.0.1",
        port: silent.port,
        tlsMode: "none",
        username: "x",
        password: "y",
        enabled: false,
      });
      const started = performance.now();
      const result = await a.imapMailbox.test({ id: hung.id });
      expect(result.error).toBe(
        `the mail server at 127.0.0.1:${silent.port} did not answer in time`,
      );
      expect(performance.now() - started).toBeLessThan(10_000);
      await a.imapMailbox.delete({ id: hung.id });
    } finally {
      await silent.close();
    }
  });

  it("plaintext IMAP and private hosts are refused unless the operator allows them (SSRF)", async () => {
    const deps = {
      ...world.deps,
      imap: { ...world.deps.imap, allowPrivateHosts: false, allowPlaintext: false },
    };
    const a = await callerFor(deps, world.a.admin);
    const base = { port: 993, username: "u", password: "p", tlsMode: "implicit" as const };
    const refused = async (host: string) => {
      try {
        await a.imapMailbox.create({ ...base, host });
        return "created";
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(await refused("127.0.0.1")).toBe(
      "127.0.0.1 is a loopback address (this server itself), which this server does not connect to",
    );
    expect(await refused("10.0.0.8")).toMatch(/private network address/);
    expect(await refused("169.254.169.254")).toMatch(/link-local/);
    expect(await refused("[::ffff:127.0.0.1]")).toMatch(/loopback/);
    expect(await refused("localhost")).toMatch(/^localhost resolves to .*loopback/);
    expect(await outcome(() => a.imapMailbox.create({ ...base, host: "127.0.0.1" }))).toBe(
      "BAD_REQUEST",
    );
    expect(
      await outcome(() => a.imapMailbox.create({ ...base, host: "127.0.0.1", tlsMode: "none" })),
    ).toBe("BAD_REQUEST");
    // Even when the operator allows private hosts, link-local (cloud metadata) stays refused.
    expect(
      await outcome(async () =>
        (await admin("a")).imapMailbox.create({ ...base, host: "169.254.169.254" }),
      ),
    ).toBe("BAD_REQUEST");
    expect((await (await admin("a")).imapMailbox.list()).length).toBe(1);
  });

  it("RLS as remit_app: own mailboxes visible, the other tenant's not; cross-tenant writes refused", async () => {
    const asB = { tenantId: world.tenantB, userId: world.b.admin.userId, role: "admin" as const };
    const seen = await withTenant(world.deps.db, asB, (db) => db.select().from(mailImapMailboxes));
    expect(seen.map((r) => r.id)).toEqual([mailboxB.id]);
    const changed = await withTenant(world.deps.db, asB, (db) =>
      db
        .update(mailImapMailboxes)
        .set({ host: "attacker.test" })
        .where(eq(mailImapMailboxes.id, mailboxA.id))
        .returning(),
    );
    expect(changed).toEqual([]);
    const insert = withTenant(world.deps.db, asB, (db) =>
      db.insert(mailImapMailboxes).values({
        tenantId: world.tenantA,
        host: "attacker.test",
        port: 993,
        username: "x",
        passwordSealed: "v1.x",
        createdBy: world.b.admin.userId,
      }),
    );
    await expect(insert).rejects.toThrow();
    expect(sqlState(await insert.catch((e: unknown) => e))).toBe("42501");
    const b = await admin("b");
    for (const call of [
      () => b.imapMailbox.get({ id: mailboxA.id }),
      () => b.imapMailbox.test({ id: mailboxA.id }),
      () => b.imapMailbox.update({ id: mailboxA.id, data: { host: "127.0.0.2" } }),
      () => b.imapMailbox.disable({ id: mailboxA.id }),
      () => b.imapMailbox.delete({ id: mailboxA.id }),
    ]) {
      expect(await outcome(call)).toBe("NOT_FOUND");
    }
    const a = await admin("a");
    expect((await a.imapMailbox.get({ id: mailboxA.id })).enabled).toBe(true);
  });
});

describe("polling", () => {
  it("two tenants, each its own mailbox: each gets only its own mail, nothing crosses", async () => {
    server.deliver("ap-a@example.test", invoiceMail("A-1"));
    server.deliver("ap-b@example.test", invoiceMail("B-1", 2));
    await allDue();
    const polled: string[] = [];
    await runImapPolls(world.deps, world.deps.imap, {
      onPolled: (mailbox, report) => {
        expect(report.error).toBeNull();
        polled.push(mailbox.mailboxId);
      },
    });
    expect(polled.sort()).toEqual([mailboxA.id, mailboxB.id].sort());
    expect(await invoiceCount("a")).toBe(1);
    expect(await invoiceCount("b")).toBe(2);

    const a = await admin("a");
    const b = await admin("b");
    const aInvoice = (await a.invoice.list({})).items[0];
    if (!aInvoice) throw new Error("no invoice in A");
    const message = await a.mail.ofInvoice({ invoiceId: aInvoice.id });
    expect(message?.subject).toBe("A-1");
    expect(message?.sender).toBe("billing@supplier.test");
    expect(await outcome(() => b.invoice.get({ id: aInvoice.id }))).toBe("NOT_FOUND");
    // As remit_app in B: B's own invoices, none of A's.
    const asB = { tenantId: world.tenantB, userId: world.b.admin.userId, role: "admin" as const };
    const seenByB = await withTenant(world.deps.db, asB, (db) => db.select().from(invoices));
    expect(seenByB.length).toBe(2);
    expect(seenByB.every((r) => r.tenantId === world.tenantB)).toBe(true);
    const messagesB = await withTenant(world.deps.db, asB, (db) => db.select().from(mailMessages));
    expect(messagesB.map((m) => m.subject)).toEqual(["B-1"]);
    expect(messagesB[0]).toMatchObject({ imapMailboxId: mailboxB.id, addressId: null });

    // After import: A's went to its processed folder; B's (none set) stays, flagged \Seen.
    expect(server.folder("ap-a@example.test", "INBOX")?.messages.length).toBe(0);
    expect(server.folder("ap-a@example.test", "Processed")?.messages.length).toBe(1);
    const inboxB = server.folder("ap-b@example.test", "INBOX")?.messages ?? [];
    expect(inboxB.map((m) => m.flags.has("\\Seen"))).toEqual([true]);
    expect(server.commands.some((c) => / UID MOVE /.test(c))).toBe(true);
    expect(server.commands.some((c) => c.includes(passwords.a))).toBe(false);

    const status = await a.imapMailbox.get({ id: mailboxA.id });
    expect(status).toMatchObject({ importedCount: 1, lastError: null });
    expect(status.lastPollAt).toBeInstanceOf(Date);
  });

  it("is idempotent: polling again imports nothing twice", async () => {
    await allDue();
    await runImapPolls(world.deps, world.deps.imap);
    await allDue();
    await runImapPolls(world.deps, world.deps.imap);
    expect(await invoiceCount("a")).toBe(1);
    expect(await invoiceCount("b")).toBe(2);
    // Even with its mark lost, a message still in the folder is found recorded and skipped.
    await world.handle.db
      .update(mailImapMailboxes)
      .set({ lastUid: 0 })
      .where(eq(mailImapMailboxes.id, mailboxB.id));
    const report = await pollNow(world.tenantB, mailboxB.id);
    expect(report).toMatchObject({ imported: 0, alreadyRecorded: 1, failed: false });
    expect(await invoiceCount("b")).toBe(2);
    expect((await (await admin("b")).mail.messages({})).length).toBe(1);
  });

  it("a message with no usable attachment is recorded for the admins", async () => {
    server.deliver(
      "ap-a@example.test",
      mimeMessage({
        from: "someone@supplier.test",
        to: ["ap@example.test"],
        subject: "Hello",
        text: "No invoice here.",
      }),
    );
    const report = await pollNow(world.tenantA, mailboxA.id);
    expect(report).toMatchObject({ imported: 1, failed: false });
    const listed = await (await admin("a")).mail.messages({ onlyWithoutDocument: true });
    expect(listed.map((m) => m.subject)).toEqual(["Hello"]);
    expect(await invoiceCount("a")).toBe(1);
  });

  it("a move the server refuses leaves the message there, imported once, with a warning", async () => {
    const stubborn = await startImapServer({ refuseMove: true });
    try {
      stubborn.addAccount("u", "p");
      stubborn.createFolder("u", "Processed");
      const a = await admin("a");
      const box = await a.imapMailbox.create({
        host: "127.0.0.1",
        port: stubborn.port,
        tlsMode: "none",
        username: "u",
        password: "p",
        processedFolder: "Processed",
        enabled: false,
      });
      await a.imapMailbox.update({ id: box.id, data: { enabled: true } });
      stubborn.deliver("u", invoiceMail("A-2"));
      const first = await pollNow(world.tenantA, box.id);
      expect(first).toMatchObject({ imported: 1, failed: false });
      expect(first?.error).toBe(
        'imported, but the mail server would not move messages to "Processed"',
      );
      expect((await a.imapMailbox.get({ id: box.id })).lastError).toBe(first?.error);
      expect(stubborn.folder("u", "INBOX")?.messages.length).toBe(1);
      const again = await pollNow(world.tenantA, box.id);
      expect(again).toMatchObject({ imported: 0, failed: false });
      expect(await invoiceCount("a")).toBe(2);
      await a.imapMailbox.delete({ id: box.id });
      // The messages it brought stay, no longer pointing at a mailbox.
      const kept = await world.handle.db
        .select()
        .from(mailMessages)
        .where(and(eq(mailMessages.tenantId, world.tenantA), eq(mailMessages.subject, "A-2")));
      expect(kept.length).toBe(1);
      expect(kept[0]?.imapMailboxId).toBeNull();
    } finally {
      await stubborn.close();
    }
  });

  it("a server without MOVE: copied, flagged deleted and expunged; a renumbered folder brings no second invoice", async () => {
    const old = await startImapServer({ move: false });
    try {
      old.addAccount("u", "p");
      old.createFolder("u", "Done");
      const a = await admin("a");
      const moving = await a.imapMailbox.create({
        host: "127.0.0.1",
        port: old.port,
        tlsMode: "none",
        username: "u",
        password: "p",
        processedFolder: "Done",
        enabled: false,
      });
      const before = await invoiceCount("a");
      old.deliver("u", invoiceMail("A-3"));
      await a.imapMailbox.update({ id: moving.id, data: { enabled: true } });
      expect(await pollNow(world.tenantA, moving.id)).toMatchObject({ imported: 1, error: null });
      expect(old.folder("u", "INBOX")?.messages.length).toBe(0);
      expect(old.folder("u", "Done")?.messages.length).toBe(1);
      expect(old.commands.some((c) => / UID COPY /.test(c))).toBe(true);
      expect(await invoiceCount("a")).toBe(before + 1);

      // The folder renumbered under a new UIDVALIDITY: its messages look new by UID; their
      // documents are the same, so they come back as duplicates, not as second invoices.
      await a.imapMailbox.update({
        id: moving.id,
        data: { folder: "Done", processedFolder: null },
      });
      old.renumber("u", "Done", 777_001);
      expect(await pollNow(world.tenantA, moving.id)).toMatchObject({ imported: 1, failed: false });
      expect(await invoiceCount("a")).toBe(before + 1);
      expect(await pollNow(world.tenantA, moving.id)).toMatchObject({ imported: 0, failed: false });
      await a.imapMailbox.delete({ id: moving.id });
    } finally {
      await old.close();
    }
  });

  it("a wrong password is recorded as a sentence, and the mailbox backs off", async () => {
    const a = await admin("a");
    await a.imapMailbox.update({ id: mailboxA.id, data: { password: "not-the-password" } });
    const report = await pollNow(world.tenantA, mailboxA.id);
    expect(report).toMatchObject({ failed: true, imported: 0 });
    const status = await a.imapMailbox.get({ id: mailboxA.id });
    expect(status.lastError).toBe(
      `the mail server at 127.0.0.1:${server.port} refused the user name or password`,
    );
    const wait = status.nextPollAt.getTime() - Date.now();
    expect(wait).toBeGreaterThan(world.deps.imap.pollEveryMs);
    await pollNow(world.tenantA, mailboxA.id);
    const later = await a.imapMailbox.get({ id: mailboxA.id });
    expect(later.nextPollAt.getTime()).toBeGreaterThan(status.nextPollAt.getTime());
    // Not due: the poller leaves it alone until then.
    const polled: string[] = [];
    await runImapPolls(world.deps, world.deps.imap, { onPolled: (m) => polled.push(m.mailboxId) });
    expect(polled).not.toContain(mailboxA.id);
    await a.imapMailbox.update({ id: mailboxA.id, data: { password: passwords.a } });
    expect((await pollNow(world.tenantA, mailboxA.id))?.failed).toBe(false);
    expect((await a.imapMailbox.get({ id: mailboxA.id })).lastError).toBeNull();
  });

  it("a host that became private is refused at connection time when the operator does not allow it", async () => {
    const report = await pollNow(world.tenantA, mailboxA.id, strict());
    expect(report?.error).toBe(
      "127.0.0.1 is a loopback address (this server itself), which this server does not connect to",
    );
    expect(server.logins).toBeGreaterThan(0);
    const before = server.logins;
    await pollNow(world.tenantB, mailboxB.id, strict());
    expect(server.logins).toBe(before);
  });

  it("a disabled mailbox is not polled", async () => {
    const b = await admin("b");
    await b.imapMailbox.disable({ id: mailboxB.id });
    server.deliver("ap-b@example.test", invoiceMail("B-2"));
    await allDue();
    const polled: string[] = [];
    await runImapPolls(world.deps, world.deps.imap, { onPolled: (m) => polled.push(m.mailboxId) });
    expect(polled).not.toContain(mailboxB.id);
    expect(await pollNow(world.tenantB, mailboxB.id)).toBeNull();
    expect(await invoiceCount("b")).toBe(2);
  });
});
