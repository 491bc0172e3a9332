import type { ImapFlow } from "imapflow";
import { MailboxProblem, mailboxErrorSentence } from "./imap-errors";
import { closeImapSession, type ImapLogin, openImapSession } from "./imap-session";
import type { ImapSettings } from "./imap-settings";

export interface MailboxTestResult {
  ok: boolean;
  /** Why not, as a sentence; null when everything worked. */
  error: string | null;
  /** Messages in the folder to read, when it could be opened. */
  messages: number | null;
}

async function folderExists(client: ImapFlow, folder: string): Promise<boolean> {
  try {
    await client.status(folder, { messages: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * Logs in exactly as the poller does (the same address policy, TLS and timeouts), opens the
 * folder read-only (EXAMINE: nothing is marked or moved), checks that the processed folder
 * exists, and logs out. Answers a sentence instead of throwing, for the admin's settings page.
 */
export async function testMailbox(
  settings: ImapSettings,
  login: ImapLogin & { folder: string; processedFolder: string | null },
): Promise<MailboxTestResult> {
  try {
    const client = await openImapSession(settings, login);
    try {
      let messages: number;
      try {
        messages = (await client.mailboxOpen(login.folder, { readOnly: true })).exists;
      } catch (error) {
        if ((error as { mailboxMissing?: boolean }).mailboxMissing) {
          throw new MailboxProblem(
            `the folder "${login.folder}" does not exist on the mail server`,
          );
        }
        throw error;
      }
      if (login.processedFolder && !(await folderExists(client, login.processedFolder))) {
        throw new MailboxProblem(
          `the folder "${login.processedFolder}" for processed messages does not exist on the mail server`,
        );
      }
      return { ok: true, error: null, messages };
    } finally {
      await closeImapSession(client);
    }
  } catch (error) {
    return { ok: false, error: mailboxErrorSentence(error, login), messages: null };
  }
}
