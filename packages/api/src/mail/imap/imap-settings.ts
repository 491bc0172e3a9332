/** How the server polls tenants' IMAP mailboxes; set once from the API's configuration. */
export interface ImapSettings {
  /** The key IMAP passwords are sealed with (deriveSealingKey, purpose "imap-password"). */
  sealingKey: Buffer;
  /** Mail servers on loopback or private networks may be used (REMIT_IMAP_ALLOW_PRIVATE). */
  allowPrivateHosts: boolean;
  /** A mailbox may use IMAP without TLS (REMIT_IMAP_ALLOW_PLAINTEXT): the password crosses in clear. */
  allowPlaintext: boolean;
  /** How often a healthy mailbox is polled. */
  pollEveryMs: number;
  /** The longest wait between polls of a failing mailbox (the backoff doubles up to this). */
  maxBackoffMs: number;
  /** Messages imported per mailbox per poll; the rest wait for the next poll. */
  messagesPerPoll: number;
  /** Mailboxes polled per run of the task. */
  mailboxesPerRun: number;
  /** One run of the task stops starting new messages after this long. */
  runBudgetMs: number;
  /** Connecting (TCP, TLS, greeting) and each command, before the server counts as not answering. */
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  /** A larger message is recorded as unread (MAIL_MAX_BYTES, as for SMTP). */
  maxMessageBytes: number;
}

export const defaultImapSettings: Omit<ImapSettings, "sealingKey"> = {
  allowPrivateHosts: false,
  allowPlaintext: false,
  pollEveryMs: 60_000,
  maxBackoffMs: 6 * 3_600_000,
  messagesPerPoll: 25,
  mailboxesPerRun: 20,
  runBudgetMs: 45_000,
  connectTimeoutMs: 10_000,
  commandTimeoutMs: 30_000,
  maxMessageBytes: 25 * 1024 * 1024,
};
