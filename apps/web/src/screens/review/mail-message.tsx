import { useQuery } from "@tanstack/react-query";
import { formatDateTime } from "../../lib/format";
import { useTRPC } from "../../lib/trpc";

/**
 * The e-mail an invoice came in by, beside it for the reviewer: who sent it, the subject and the
 * body text (kept up to 20,000 characters). Nothing renders for an uploaded invoice. The body is
 * shown as text only: nothing of the message is ever interpreted as HTML.
 */
export function MailMessage({ invoiceId }: { invoiceId: string }) {
  const trpc = useTRPC();
  const message = useQuery(trpc.mail.ofInvoice.queryOptions({ invoiceId }));
  if (!message.data) return null;
  const m = message.data;
  return (
    <section className="mail-message" aria-labelledby="mail-message-title">
      <h2 id="mail-message-title">Received by e-mail</h2>
      <dl className="mail-meta">
        <dt>From</dt>
        <dd>{m.sender}</dd>
        <dt>Subject</dt>
        <dd>{m.subject || "(no subject)"}</dd>
        <dt>Received</dt>
        <dd>{formatDateTime(m.receivedAt)}</dd>
        {m.filename ? (
          <>
            <dt>Attachment</dt>
            <dd>{m.filename}</dd>
          </>
        ) : null}
      </dl>
      {m.bodyText.trim() ? (
        <details>
          <summary>Message text</summary>
          <pre className="mail-body">{m.bodyText}</pre>
        </details>
      ) : null}
    </section>
  );
}
