import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import type { mailAttachments } from "@remit/db";
import { recordAudit } from "../audit";
import type { ApiDeps } from "../context";
import {
  BadRequestError,
  ConflictError,
  PayloadTooLargeError,
  UnprocessableError,
  UnsupportedMediaError,
} from "../errors";
import { type IngestingActor, ingestDocument } from "../ingest/ingest-document";
import {
  insertMailAttachments,
  insertMailMessage,
  listAllowedSenders,
  senderAllowed,
} from "../queries/mail";
import { inTenantTransaction, type TenantActor } from "../request/steps";
import { bound, mailLimits } from "./mail-limits";
import type { MailTarget } from "./resolve-address";

/** A message polled from a tenant's IMAP mailbox: which one, and where it sat in its folder. */
export interface ImapTarget {
  tenantId: string;
  imapMailboxId: string;
  uidValidity: number;
  uid: number;
}

/** A received message, parsed once; each tenant it was addressed to gets its own copy. */
export interface ReceivedMail {
  envelopeSender: string | null;
  /** The From header's address (empty when there is none). */
  from: string;
  subject: string;
  text: string;
  messageId: string | null;
  attachments: Array<{
    filename: string | undefined;
    contentType: string | undefined;
    content: Buffer;
    /** An image the HTML body shows (a logo, a signature): not a document sent to us. */
    related: boolean;
  }>;
}

/**
 * The user id inbound mail acts as inside withTenant (invoices' created_by, audit rows): a fixed
 * id that belongs to no person, like the worker's.
 */
export const mailActorId = "00000000-0000-4000-8000-00000000e111";

type AttachmentRecord = Omit<
  typeof mailAttachments.$inferInsert,
  "tenantId" | "messageId" | "position"
>;

export interface DeliveryReport {
  messageId: string;
  outcome: "ingested" | "no_document" | "sender_not_allowed";
  created: string[];
  duplicates: string[];
  refused: number;
}

/** A refusal the ingestion path explains in a sentence; anything else is our failure. */
function refusalReason(error: unknown): string | null {
  const explained =
    error instanceof UnsupportedMediaError ||
    error instanceof UnprocessableError ||
    error instanceof PayloadTooLargeError ||
    error instanceof BadRequestError ||
    error instanceof ConflictError;
  return explained ? (error as Error).message : null;
}

/**
 * Delivers one message to one tenant, after the address was resolved (resolve-address.ts). From
 * here on everything runs under withTenant as that tenant: the allowlist is read, each attachment
 * goes through ingestDocument exactly as an upload does, and the message is kept beside its
 * invoices (or on its own, for the admins, when it brought nothing usable). A failure that is
 * not the attachment's fault (the database, storage) throws, and the SMTP door answers 451 so
 * the sending server tries again; what was stored by then is found as duplicates on the retry.
 * A message polled by IMAP (ImapTarget) takes exactly this path too; its record carries the
 * folder's UIDVALIDITY and the UID, unique per mailbox, so the same message is recorded once.
 */
export async function deliverMail(
  deps: ApiDeps,
  target: MailTarget | ImapTarget,
  mail: ReceivedMail,
  meta: { requestId: string; ip: string | null },
): Promise<DeliveryReport> {
  const actor: TenantActor = { tenantId: target.tenantId, userId: mailActorId, role: "user" };
  const transaction: IngestingActor["transaction"] = (work) =>
    inTenantTransaction({ deps }, actor, work);
  const sender = bound(mail.from || mail.envelopeSender || "", mailLimits.senderChars);

  const allowlist = await transaction(async ({ db }) => listAllowedSenders(db));
  const allowed = senderAllowed(
    allowlist.map((row) => row.pattern),
    sender,
  );

  const records: AttachmentRecord[] = [];
  const created: string[] = [];
  const duplicates: string[] = [];
  if (allowed) {
    for (const [index, attachment] of mail.attachments.entries()) {
      const base = {
        filename: bound(attachment.filename, 255) || null,
        declaredType: bound(attachment.contentType, 255) || null,
        byteSize: attachment.content.length,
      };
      if (index >= mailLimits.attachments) {
        records.push({
          ...base,
          outcome: "refused",
          reason: `only the first ${mailLimits.attachments} attachments of a message are read`,
        });
        continue;
      }
      if (attachment.related) {
        records.push({
          ...base,
          outcome: "refused",
          reason: "an image shown inside the message body, not an attached document",
        });
        continue;
      }
      try {
        const outcome = await ingestDocument(
          deps,
          {
            actor,
            actorType: "service",
            requestId: meta.requestId,
            ip: meta.ip,
            via: "email",
            transaction,
          },
          {
            stream: Readable.from([attachment.content]),
            filename: attachment.filename,
            declaredType: attachment.contentType,
          },
        );
        if (outcome.kind === "created") created.push(outcome.invoiceId);
        else duplicates.push(outcome.invoiceId);
        records.push({ ...base, outcome: outcome.kind, invoiceId: outcome.invoiceId });
      } catch (error) {
        const reason = refusalReason(error);
        if (reason === null) throw error;
        records.push({ ...base, outcome: "refused", reason });
      }
    }
  }

  const outcome: DeliveryReport["outcome"] = !allowed
    ? "sender_not_allowed"
    : created.length + duplicates.length > 0
      ? "ingested"
      : "no_document";
  const messageId = randomUUID();
  const source =
    "addressId" in target
      ? { addressId: target.addressId }
      : {
          imapMailboxId: target.imapMailboxId,
          imapUidValidity: target.uidValidity,
          imapUid: target.uid,
        };
  await transaction(async ({ db }) => {
    await insertMailMessage(db, {
      tenantId: target.tenantId,
      id: messageId,
      ...source,
      sender,
      envelopeSender: bound(mail.envelopeSender, mailLimits.senderChars) || null,
      subject: bound(mail.subject, mailLimits.subjectChars),
      bodyText: bound(mail.text, mailLimits.bodyChars),
      messageIdHeader: bound(mail.messageId, 500) || null,
      outcome,
      attachmentCount: mail.attachments.length,
    });
    await insertMailAttachments(
      db,
      records.map((record, position) => ({
        ...record,
        tenantId: target.tenantId,
        messageId,
        position,
      })),
    );
    await recordAudit(
      {
        db,
        tenantId: target.tenantId,
        userId: mailActorId,
        caller: { kind: "token" },
        requestId: meta.requestId,
        ip: meta.ip,
      },
      {
        action: "mail.receive",
        entityType: "mail_message",
        entityId: messageId,
        summary: {
          ...("addressId" in target
            ? { addressId: target.addressId }
            : { imapMailboxId: target.imapMailboxId, uid: target.uid }),
          sender,
          outcome,
          created: created.length,
          duplicates: duplicates.length,
          refused: records.filter((r) => r.outcome === "refused").length,
        },
      },
    );
  });
  return {
    messageId,
    outcome,
    created,
    duplicates,
    refused: records.filter((r) => r.outcome === "refused").length,
  };
}
