import { mailImapMailboxes, mailMessages, type TenantDb } from "@remit/db";
import { and, asc, eq, sql } from "drizzle-orm";
import { NotFoundError } from "../errors";

/*
 * A tenant's IMAP mailboxes. Every function takes the RLS-bound db of a withTenant transaction;
 * another tenant's mailboxes are simply not there. The sealed password is read by the poller
 * only (mailboxForPoll); what admins get says whether one is set, never what it is.
 */

const publicColumns = {
  id: mailImapMailboxes.id,
  label: mailImapMailboxes.label,
  host: mailImapMailboxes.host,
  port: mailImapMailboxes.port,
  tlsMode: mailImapMailboxes.tlsMode,
  username: mailImapMailboxes.username,
  passwordSet: sql<boolean>`(${mailImapMailboxes.passwordSealed} <> '')`,
  folder: mailImapMailboxes.folder,
  processedFolder: mailImapMailboxes.processedFolder,
  enabled: mailImapMailboxes.enabled,
  lastPollAt: mailImapMailboxes.lastPollAt,
  lastError: mailImapMailboxes.lastError,
  nextPollAt: mailImapMailboxes.nextPollAt,
  importedCount: mailImapMailboxes.importedCount,
  createdAt: mailImapMailboxes.createdAt,
};

export async function listImapMailboxes(db: TenantDb) {
  return db.select(publicColumns).from(mailImapMailboxes).orderBy(asc(mailImapMailboxes.createdAt));
}

export async function imapMailbox(db: TenantDb, id: string) {
  const [row] = await db
    .select(publicColumns)
    .from(mailImapMailboxes)
    .where(eq(mailImapMailboxes.id, id));
  if (!row) throw new NotFoundError("IMAP mailbox");
  return row;
}

export async function countImapMailboxes(db: TenantDb): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(mailImapMailboxes);
  return row?.n ?? 0;
}

export async function insertImapMailbox(db: TenantDb, row: typeof mailImapMailboxes.$inferInsert) {
  await db.insert(mailImapMailboxes).values(row);
}

type MailboxChanges = Partial<
  Pick<
    typeof mailImapMailboxes.$inferInsert,
    | "label"
    | "host"
    | "port"
    | "tlsMode"
    | "username"
    | "passwordSealed"
    | "folder"
    | "processedFolder"
    | "enabled"
  >
>;

/**
 * Changes settings; NOT_FOUND for a mailbox this tenant does not have. A change of where or how
 * to log in makes the mailbox due now and clears the last failure, so the admin sees at once
 * whether the new settings work. Another host, user or folder is another sequence of UIDs: the
 * mark starts over (messages recorded before are still recognised by their UIDVALIDITY and UID).
 */
export async function updateImapMailbox(db: TenantDb, id: string, changes: MailboxChanges) {
  const [current] = await db
    .select({
      host: mailImapMailboxes.host,
      username: mailImapMailboxes.username,
      folder: mailImapMailboxes.folder,
    })
    .from(mailImapMailboxes)
    .where(eq(mailImapMailboxes.id, id));
  if (!current) throw new NotFoundError("IMAP mailbox");
  const elsewhere = (["host", "username", "folder"] as const).some(
    (key) => changes[key] !== undefined && changes[key] !== current[key],
  );
  const rows = await db
    .update(mailImapMailboxes)
    .set({
      ...changes,
      ...(elsewhere ? { uidValidity: null, lastUid: 0 } : {}),
      updatedAt: new Date(),
      failures: 0,
      lastError: null,
      nextPollAt: sql`now()`,
    })
    .where(eq(mailImapMailboxes.id, id))
    .returning({ id: mailImapMailboxes.id });
  if (rows.length === 0) throw new NotFoundError("IMAP mailbox");
}

export async function deleteImapMailbox(db: TenantDb, id: string): Promise<void> {
  const rows = await db
    .delete(mailImapMailboxes)
    .where(eq(mailImapMailboxes.id, id))
    .returning({ id: mailImapMailboxes.id });
  if (rows.length === 0) throw new NotFoundError("IMAP mailbox");
}

/** Everything the poller needs, the sealed password included; null when gone or disabled. */
export async function mailboxForPoll(db: TenantDb, id: string) {
  const [row] = await db.select().from(mailImapMailboxes).where(eq(mailImapMailboxes.id, id));
  return row ?? null;
}

/** Whether this message (folder generation and UID) was recorded already. */
export async function imapMessageRecorded(
  db: TenantDb,
  mailboxId: string,
  uidValidity: number,
  uid: number,
): Promise<boolean> {
  const [row] = await db
    .select({ id: mailMessages.id })
    .from(mailMessages)
    .where(
      and(
        eq(mailMessages.imapMailboxId, mailboxId),
        eq(mailMessages.imapUidValidity, uidValidity),
        eq(mailMessages.imapUid, uid),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/** Moves the mailbox's mark past a message handled (imported now, or found recorded before). */
export async function advanceImapMark(
  db: TenantDb,
  id: string,
  mark: { uidValidity: number; uid: number; imported: boolean },
): Promise<void> {
  await db
    .update(mailImapMailboxes)
    .set({
      uidValidity: mark.uidValidity,
      lastUid: sql`greatest(${mailImapMailboxes.lastUid}, ${mark.uid})`,
      importedCount: sql`${mailImapMailboxes.importedCount} + ${mark.imported ? 1 : 0}`,
    })
    .where(eq(mailImapMailboxes.id, id));
}

/** A new folder generation (UIDVALIDITY changed): the UIDs start over. */
export async function resetImapMark(db: TenantDb, id: string, uidValidity: number): Promise<void> {
  await db
    .update(mailImapMailboxes)
    .set({ uidValidity, lastUid: 0 })
    .where(eq(mailImapMailboxes.id, id));
}

/**
 * The outcome of a poll or a connection test: when it ran, the sentence if it failed (or a
 * warning after a good poll), and when to poll next. Failures in a row double the wait.
 */
export async function recordPollOutcome(
  db: TenantDb,
  id: string,
  outcome: { error: string | null; failed: boolean; nextInMs: (failures: number) => number },
): Promise<void> {
  const [row] = await db
    .select({ failures: mailImapMailboxes.failures })
    .from(mailImapMailboxes)
    .where(eq(mailImapMailboxes.id, id));
  if (!row) return;
  const failures = outcome.failed ? row.failures + 1 : 0;
  await db
    .update(mailImapMailboxes)
    .set({
      lastPollAt: sql`now()`,
      lastError: outcome.error === null ? null : outcome.error.slice(0, 500),
      failures,
      nextPollAt: sql`now() + make_interval(secs => ${outcome.nextInMs(failures) / 1000})`,
    })
    .where(eq(mailImapMailboxes.id, id));
}
