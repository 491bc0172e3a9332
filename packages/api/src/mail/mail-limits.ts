/** Bounds on what a received message may make us keep or do. */
export const mailLimits = {
  /** The plain-text body kept beside the invoice (characters). */
  bodyChars: 20_000,
  subjectChars: 500,
  senderChars: 320,
  /** Recipients at our domain per message: more is refused at RCPT. */
  recipients: 20,
  /** Attachments read per message; the rest are recorded as refused. */
  attachments: 100,
  /**
   * Messages read, parsed and delivered at once per process. A message is held in memory whole
   * (raw, then parsed), so this bounds memory to a few times MAIL_MAX_BYTES; further senders wait
   * with their DATA unread (TCP backpressure) for a slot.
   */
  concurrentMessages: 4,
  /** Open SMTP connections per process. */
  connections: 50,
} as const;

export function bound(text: string | undefined | null, max: number): string {
  if (!text) return "";
  return text.length > max ? text.slice(0, max) : text;
}
