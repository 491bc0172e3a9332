import type { ParsedMail } from "mailparser";
import type { ReceivedMail } from "./deliver-message";

/**
 * A raw message as deliverMail takes it, whichever door it came in by (SMTP, IMAP): one parse,
 * one reading of sender, subject, body and attachments. Throws when the bytes are no message.
 */
export async function parseMessage(
  raw: Buffer,
  envelopeSender: string | null,
): Promise<ReceivedMail> {
  // Imported by the first message, not at the API's start (bench:coldstart).
  const { simpleParser } = await import("mailparser");
  const parsed: ParsedMail = await simpleParser(raw, {
    skipHtmlToText: false,
    skipTextToHtml: true,
  });
  return {
    envelopeSender,
    from: parsed.from?.value[0]?.address ?? "",
    subject: parsed.subject ?? "",
    text: parsed.text ?? "",
    messageId: parsed.messageId ?? null,
    attachments: parsed.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: a.content,
      related: a.related === true && a.contentType.startsWith("image/"),
    })),
  };
}
