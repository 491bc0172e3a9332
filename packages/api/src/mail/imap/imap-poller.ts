import type { ApiDeps } from "../../context";
import type { PeriodicTask } from "../../periodic/runner";
import { dueImapMailboxes } from "./due-mailboxes";
import type { ImapSettings } from "./imap-settings";
import { type MailboxRef, type PollReport, pollMailbox } from "./poll-mailbox";

export interface ImapPollHooks {
  onPolled?: (mailbox: MailboxRef, report: PollReport) => void;
  onError?: (error: unknown, mailbox: MailboxRef) => void;
}

/**
 * One run: the due mailboxes (soonest first, at most mailboxesPerRun), one after another, within
 * the run's time budget. A mailbox's failure is recorded on it by pollMailbox; anything else
 * (the database gone) is told to onError and the run goes on to the next mailbox.
 */
export async function runImapPolls(
  deps: ApiDeps,
  settings: ImapSettings,
  options: ImapPollHooks & { signal?: AbortSignal } = {},
): Promise<number> {
  const deadline = Date.now() + settings.runBudgetMs;
  const due = await dueImapMailboxes(deps.db, settings.mailboxesPerRun);
  let polled = 0;
  for (const mailbox of due) {
    if (Date.now() >= deadline || options.signal?.aborted) break;
    try {
      const report = await pollMailbox(deps, settings, mailbox, {
        deadline,
        signal: options.signal,
      });
      polled++;
      if (report) options.onPolled?.(mailbox, report);
    } catch (error) {
      options.onError?.(error, mailbox);
    }
  }
  return polled;
}

/**
 * IMAP polling as a periodic task: it runs in the one API process that holds the leader lock
 * (periodic/runner.ts), so two processes never poll the same mailbox on purpose; if they briefly
 * do during a hand-over, the unique UID record makes the second import a no-op.
 */
export function imapPollTask(deps: ApiDeps, hooks: ImapPollHooks = {}): PeriodicTask {
  return {
    name: "imap-poll",
    everyMs: Math.min(deps.imap.pollEveryMs, 15_000),
    runAtStart: true,
    run: async (signal) => {
      await runImapPolls(deps, deps.imap, { ...hooks, signal });
    },
  };
}
