import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Button } from "../components/ui/button";
import { Field, FormError, Labelled } from "../components/ui/field";
import { Spinner } from "../components/ui/spinner";
import { fieldErrorsOf, messageOf } from "../lib/errors";
import { formatDateTime } from "../lib/format";
import { Link } from "../lib/router";
import { type Outputs, useTRPC } from "../lib/trpc";
import { useRowAction } from "../lib/use-row-action";
import { ImapMailboxes } from "./imap-mailboxes";

type Issued = Outputs["mail"]["createAddress"];

const outcomeLabel: Record<string, string> = {
  ingested: "Read",
  no_document: "No usable attachment",
  sender_not_allowed: "Sender not on the allowlist",
};

/**
 * E-mail in, for admins: the tenant's inbound addresses (a new one is shown in full once; only a
 * hash of its token is kept), the sender allowlist, the IMAP mailboxes Remit polls, and the
 * messages received, those that brought no usable document first.
 */
export default function MailSettings() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const settings = useQuery(trpc.mail.settings.queryOptions());
  const unread = useQuery(
    trpc.mail.messages.queryOptions({ onlyWithoutDocument: true, limit: 50 }),
  );
  const recent = useQuery(trpc.mail.messages.queryOptions({ limit: 20 }));
  const create = useMutation(trpc.mail.createAddress.mutationOptions());
  const rotate = useMutation(trpc.mail.rotateAddress.mutationOptions());
  const revoke = useMutation(trpc.mail.revokeAddress.mutationOptions());
  const setSenders = useMutation(trpc.mail.setAllowedSenders.mutationOptions());
  const [label, setLabel] = useState("");
  const [issued, setIssued] = useState<Issued | null>(null);
  const { rowError, act } = useRowAction(() =>
    queryClient.invalidateQueries(trpc.mail.settings.pathFilter()),
  );
  const [senders, setSendersText] = useState<string | null>(null);

  async function onCreate(event: FormEvent) {
    event.preventDefault();
    try {
      setIssued(await create.mutateAsync({ label: label.trim() }));
      setLabel("");
      await queryClient.invalidateQueries(trpc.mail.settings.pathFilter());
    } catch {
      // shown below
    }
  }

  async function onRotate(id: string) {
    if (!window.confirm("Replace this address? Mail to the old one is refused from now on.")) {
      return;
    }
    await act(async () => setIssued(await rotate.mutateAsync({ id })));
  }

  async function onRevoke(id: string) {
    if (!window.confirm("Revoke this address? Mail to it is refused from now on.")) return;
    await act(() => revoke.mutateAsync({ id }));
  }

  async function onSenders(event: FormEvent) {
    event.preventDefault();
    const patterns = (senders ?? "")
      .split(/[\s,]+/)
      .map((p) => p.trim())
      .filter(Boolean);
    try {
      await setSenders.mutateAsync({ patterns });
      setSendersText(null);
      await queryClient.invalidateQueries(trpc.mail.settings.pathFilter());
    } catch {
      // shown below
    }
  }

  const data = settings.data;
  const sendersText = senders ?? data?.allowedSenders.join("\n") ?? "";
  const createErrors = fieldErrorsOf(create.error);

  return (
    <section className="page" aria-labelledby="mail-title">
      <h1 id="mail-title">E-mail in</h1>
      {settings.isPending ? <Spinner label="Loading…" /> : null}
      {settings.isError ? <FormError message={messageOf(settings.error)} /> : null}
      {data && !data.domain ? (
        <p className="alert">
          E-mail in is not set up on this server: an operator sets REMIT_MAIL_DOMAIN and
          MAIL_SMTP_PORT (see docs/email-in.md).
        </p>
      ) : null}
      <p className="hint">
        Invoices mailed to one of these addresses arrive in the inbox like uploads: each PDF, JPEG,
        PNG or XML e-invoice attached becomes an invoice, with the message kept beside it.
      </p>

      {issued ? (
        <section className="card" aria-labelledby="issued-title">
          <h2 id="issued-title">New address</h2>
          <p className="mail-new-address">{issued.address}</p>
          <p className="hint">
            Copy it now: it is shown only this once. Remit keeps a fingerprint of it, not the
            address itself.
          </p>
          <Button onClick={() => navigator.clipboard?.writeText(issued.address)}>Copy</Button>
        </section>
      ) : null}

      <form className="card stack" onSubmit={onCreate} aria-labelledby="create-title">
        <h2 id="create-title">New address</h2>
        <Field
          label="Label (for you: which supplier or mailbox uses it)"
          value={label}
          maxLength={100}
          onChange={(e) => setLabel(e.target.value)}
          error={createErrors.label}
        />
        <FormError message={create.error && !createErrors.label ? messageOf(create.error) : null} />
        <Button type="submit" variant="primary" disabled={create.isPending || !data?.domain}>
          Create address
        </Button>
      </form>

      <h2>Addresses</h2>
      <FormError message={rowError} />
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Address</th>
            <th scope="col">Label</th>
            <th scope="col">Status</th>
            <th scope="col">Created</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {data?.addresses.map((a) => (
            <tr key={a.id}>
              <td className="mail-new-address">
                {data.slug}+…{a.tokenHint}@{data.domain ?? "(not set up)"}
              </td>
              <td>{a.label || "—"}</td>
              <td>
                {a.status === "active"
                  ? "active"
                  : `revoked${a.revokedAt ? ` ${formatDateTime(a.revokedAt)}` : ""}`}
              </td>
              <td>{formatDateTime(a.createdAt)}</td>
              <td>
                {a.status === "active" ? (
                  <>
                    <Button onClick={() => onRotate(a.id)} disabled={!data.domain}>
                      Rotate
                    </Button>{" "}
                    <Button variant="danger-quiet" onClick={() => onRevoke(a.id)}>
                      Revoke
                    </Button>
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {data && data.addresses.length === 0 ? <p className="muted">No addresses yet.</p> : null}

      <form className="card stack" onSubmit={onSenders} aria-labelledby="senders-title">
        <h2 id="senders-title">Allowed senders</h2>
        <p className="hint">
          One per line: an address (ap@supplier.com) or a whole domain (@supplier.com). Empty: mail
          from anyone is read. Mail from others is kept in the list below, its attachments unread.
          The From line can be forged; this filters mistakes and noise, it is no proof.
        </p>
        <Labelled label="Senders">
          <textarea rows={4} value={sendersText} onChange={(e) => setSendersText(e.target.value)} />
        </Labelled>
        <FormError message={setSenders.error ? messageOf(setSenders.error) : null} />
        <Button type="submit" disabled={setSenders.isPending || senders === null}>
          Save senders
        </Button>
      </form>

      <ImapMailboxes />

      <h2>Messages with nothing to read</h2>
      <p className="hint">
        These messages brought no usable attachment (or came from a sender not allowed). Nothing is
        dropped silently: each refused attachment says why.
      </p>
      <MessageTable rows={unread.data} pending={unread.isPending} />

      <h2>Recent messages</h2>
      <MessageTable rows={recent.data} pending={recent.isPending} />
    </section>
  );
}

function MessageTable({
  rows,
  pending,
}: {
  rows: Outputs["mail"]["messages"] | undefined;
  pending: boolean;
}) {
  if (pending) return <Spinner label="Loading messages…" />;
  if (!rows || rows.length === 0) return <p className="muted">None.</p>;
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">Received</th>
          <th scope="col">From</th>
          <th scope="col">Subject</th>
          <th scope="col">Outcome</th>
          <th scope="col">Attachments</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((m) => (
          <tr key={m.id}>
            <td>{formatDateTime(m.receivedAt)}</td>
            <td>{m.sender}</td>
            <td>{m.subject || "(no subject)"}</td>
            <td>{outcomeLabel[m.outcome] ?? m.outcome}</td>
            <td>
              {m.attachments.length === 0 ? (
                m.attachmentCount === 0 ? (
                  "none"
                ) : (
                  `${m.attachmentCount} not read`
                )
              ) : (
                <ul className="plain-list">
                  {m.attachments.map((a, i) => (
                    <li key={`${m.id}-${i}`}>
                      {a.filename ?? "(unnamed)"}:{" "}
                      {a.outcome === "refused" ? (
                        `refused — ${a.reason ?? "no reason given"}`
                      ) : a.invoiceId ? (
                        <Link to={`/invoices/${a.invoiceId}`}>
                          {a.outcome === "created" ? "invoice" : "duplicate of an invoice"}
                        </Link>
                      ) : (
                        a.outcome
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
