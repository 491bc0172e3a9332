import { sqlState } from "@remit/db";
import type { ImapFlow } from "imapflow";
import type { ApiDeps } from "../../context";
import {
  advanceImapMark,
  imapMessageRecorded,
  mailboxForPoll,
  recordPollOutcome,
  resetImapMark,
} from "../../queries/mail-imap";
import { inTenantTransaction, type TenantActor, type TenantScope } from "../../request/steps";
import { deliverMail, type ImapTarget, mailActorId, type ReceivedMail } from "../deliver-message";
import { parseMessage } from "../parse-message";
import { MailboxProblem, mailboxErrorSentence } from "./imap-errors";
import { closeImapSession, openImapSession } from "./imap-session";
import type { ImapSettings } from "./imap-settings";
import { openMailboxPassword } from "./mailbox-password";

export interface MailboxRef {
  tenantId: string;
  mailboxId: string;
}

export interface PollReport {
  /** Messages delivered (each through deliverMail, as an SMTP message is). */
  imported: number;
  /** Messages found already recorded (a move or flag that failed last time): not imported again. */
  alreadyRecorded: number;
  /** The sentence recorded on the mailbox: a failure, or a warning after a good poll. */
  error: string | null;
  failed: boolean;
  /** More messages are waiting: the mailbox is due again at once. */
  more: boolean;
}

/** A message that could not be stored for a reason of ours: the poll stops and retries later. */
class StoreFailure extends Error {
  override name = "StoreFailure";
}

/** Failures in a row n wait pollEvery × 2^n, capped. */
export function backoffMs(settings: ImapSettings, failures: number): number {
  return Math.min(settings.maxBackoffMs, settings.pollEveryMs * 2 ** Math.min(failures, 20));
}

function tooLarge(size: number, limit: number): ReceivedMail {
  return {
    envelopeSender: null,
    from: "",
    subject: "(a message too large to read)",
    text: `This message was ${size} bytes, over the ${limit}-byte limit, and was not read.`,
    messageId: null,
    attachments: [],
  };
}

const unreadable: ReceivedMail = {
  envelopeSender: null,
  from: "",
  subject: "(a message that could not be read)",
  text: "The message could not be read as MIME.",
  messageId: null,
  attachments: [],
};

/**
 * One poll of one mailbox, everything under withTenant as its tenant (the mail actor, least
 * role): the row is read, the password unsealed, the server reached through the SSRF guard, and
 * each new message (UID past the mark, under the folder's UIDVALIDITY) delivered by deliverMail
 * exactly as an SMTP message is. A message is never imported twice: its UIDVALIDITY and UID
 * are recorded with it (unique per mailbox), checked before fetching, and the mark moves past it
 * before the move or flag is tried, so a failed move only leaves it on the server. Bounded: at
 * most messagesPerPoll messages, none started after the deadline. Failures are recorded as a
 * sentence with a growing wait; nothing is thrown for the mailbox's own faults.
 */
export async function pollMailbox(
  deps: ApiDeps,
  settings: ImapSettings,
  ref: MailboxRef,
  limits: { deadline: number; signal?: AbortSignal },
): Promise<PollReport | null> {
  const actor: TenantActor = { tenantId: ref.tenantId, userId: mailActorId, role: "user" };
  // A database failure is ours, not the mailbox's: said so, and the poll is tried again later.
  const tx = async <T>(work: (scope: TenantScope) => Promise<T>) => {
    try {
      return await inTenantTransaction({ deps }, actor, work);
    } catch (error) {
      throw new StoreFailure(
        "a message could not be stored on our side; it will be read again at the next poll",
        { cause: error },
      );
    }
  };
  const row = await tx(({ db }) => mailboxForPoll(db, ref.mailboxId));
  if (!row?.enabled) return null;

  const report: PollReport = {
    imported: 0,
    alreadyRecorded: 0,
    error: null,
    failed: false,
    more: false,
  };
  try {
    const password = openMailboxPassword(settings.sealingKey, ref, row.passwordSealed);
    const client = await openImapSession(settings, { ...row, password });
    try {
      const opened = await openFolder(client, row.folder);
      const uidValidity = Number(opened.uidValidity);
      let lastUid = row.lastUid;
      if (row.uidValidity !== uidValidity) {
        // A new folder generation: its UIDs start over. Messages imported under the old one are
        // not matched by UID any more; their documents are caught as duplicates by content.
        await tx(({ db }) => resetImapMark(db, ref.mailboxId, uidValidity));
        lastUid = 0;
      }
      const found = await client.search({ uid: `${lastUid + 1}:*` }, { uid: true });
      const uids = (found || []).filter((uid) => uid > lastUid).sort((a, b) => a - b);
      const batch = uids.slice(0, settings.messagesPerPoll);
      report.more = uids.length > batch.length;
      for (const uid of batch) {
        if (Date.now() >= limits.deadline || limits.signal?.aborted) {
          report.more = true;
          break;
        }
        const target = { tenantId: ref.tenantId, imapMailboxId: ref.mailboxId, uidValidity, uid };
        let imported = false;
        if (await tx(({ db }) => imapMessageRecorded(db, ref.mailboxId, uidValidity, uid))) {
          report.alreadyRecorded++;
        } else {
          const mail = await fetchMessage(client, uid, settings.maxMessageBytes);
          if (mail) {
            imported = await deliverOnce(deps, target, mail);
            if (imported) report.imported++;
            else report.alreadyRecorded++;
          }
        }
        await tx(({ db }) => advanceImapMark(db, ref.mailboxId, { uidValidity, uid, imported }));
        const warning = await afterImport(client, uid, row.processedFolder);
        if (warning) report.error = warning;
      }
    } finally {
      await closeImapSession(client);
    }
  } catch (error) {
    report.failed = true;
    report.error =
      error instanceof StoreFailure
        ? error.message
        : mailboxErrorSentence(error, { host: row.host, port: row.port });
  }
  await tx(({ db }) =>
    recordPollOutcome(db, ref.mailboxId, {
      error: report.error,
      failed: report.failed,
      nextInMs: (failures) =>
        report.failed ? backoffMs(settings, failures) : report.more ? 0 : settings.pollEveryMs,
    }),
  );
  return report;
}

async function openFolder(client: ImapFlow, folder: string) {
  try {
    return await client.mailboxOpen(folder);
  } catch (error) {
    if ((error as { mailboxMissing?: boolean }).mailboxMissing) {
      throw new MailboxProblem(`the folder "${folder}" does not exist on the mail server`);
    }
    throw error;
  }
}

/** The message, parsed; a stand-in that says why when it is too large or unreadable; null if gone. */
async function fetchMessage(client: ImapFlow, uid: number, maxBytes: number) {
  const head = await client.fetchOne(String(uid), { uid: true, size: true }, { uid: true });
  if (!head) return null;
  if ((head.size ?? 0) > maxBytes) return tooLarge(head.size ?? 0, maxBytes);
  const whole = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
  const source = whole ? whole.source : undefined;
  if (!source) return null;
  try {
    return await parseMessage(source, null);
  } catch {
    return unreadable;
  }
}

/** Delivers unless the same UID was recorded meanwhile (another poller, a retry): then false. */
async function deliverOnce(
  deps: ApiDeps,
  target: ImapTarget,
  mail: ReceivedMail,
): Promise<boolean> {
  try {
    await deliverMail(deps, target, mail, {
      requestId: `imap-${target.imapMailboxId.slice(0, 8)}-${target.uidValidity}-${target.uid}`,
      ip: null,
    });
    return true;
  } catch (error) {
    if (sqlState(error) === "23505") return false;
    throw new StoreFailure(
      "a message could not be stored on our side; it will be read again at the next poll",
    );
  }
}

/** Marks the message read, and moves it to the processed folder if one is set. */
async function afterImport(
  client: ImapFlow,
  uid: number,
  processedFolder: string | null,
): Promise<string | null> {
  try {
    await client.messageFlagsAdd(String(uid), ["\\Seen"], { uid: true });
    if (processedFolder) {
      const moved = await client.messageMove(String(uid), processedFolder, { uid: true });
      if (!moved) {
        return `imported, but the mail server would not move messages to "${processedFolder}"`;
      }
    }
    return null;
  } catch {
    return processedFolder
      ? `imported, but the mail server would not move messages to "${processedFolder}"`
      : "imported, but the mail server would not mark messages as read";
  }
}
