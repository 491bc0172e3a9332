import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, tenantKey } from "./columns";
import { invoices } from "./invoices";
import { mailImapMailboxes } from "./mail-imap";
import { tenants } from "./platform";

/*
 * E-mail in (drizzle/0011). A tenant's inbound addresses are `<slug>+<token>@<domain>`; only a
 * SHA-256 of the token is kept, so a database dump names no working address. Resolving a token
 * to its tenant is done by one SECURITY DEFINER function (resolve_mail_address); everything else
 * on these tables runs under withTenant like any other tenant data.
 */

export const mailAddressStatuses = ["active", "revoked"] as const;

export const mailAddresses = pgTable(
  "mail_addresses",
  {
    ...tenantKey,
    /** Hex SHA-256 of the address's random token; the token itself is shown once and dropped. */
    tokenHash: text("token_hash").notNull(),
    /** The token's last four characters, so admins can tell their addresses apart. */
    tokenHint: text("token_hint").notNull(),
    label: text("label").notNull().default(""),
    status: text("status", { enum: mailAddressStatuses }).notNull().default("active"),
    createdBy: uuid("created_by").notNull(),
    createdAt: createdAt(),
    revokedAt: timestamp("revoked_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [
    primaryKey({ name: "mail_addresses_pkey", columns: [t.tenantId, t.id] }),
    foreignKey({
      name: "mail_addresses_tenant_fk",
      columns: [t.tenantId],
      foreignColumns: [tenants.id],
    }).onDelete("cascade"),
    unique("mail_addresses_token_hash_unique").on(t.tokenHash),
    index("mail_addresses_tenant_id_idx").on(t.tenantId),
    check("mail_addresses_token_hash_hex", sql`${t.tokenHash} ~ '^[0-9a-f]{64}$'`),
    check("mail_addresses_status_check", sql`${t.status} in ('active', 'revoked')`),
    check("mail_addresses_label_bound", sql`length(${t.label}) <= 100`),
  ],
);

/**
 * The tenant's sender allowlist: when it has any row, mail from anyone else is recorded but its
 * attachments are not read. A pattern is a full address or `@domain`.
 */
export const mailAllowedSenders = pgTable(
  "mail_allowed_senders",
  {
    ...tenantKey,
    pattern: text("pattern").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: "mail_allowed_senders_pkey", columns: [t.tenantId, t.id] }),
    foreignKey({
      name: "mail_allowed_senders_tenant_fk",
      columns: [t.tenantId],
      foreignColumns: [tenants.id],
    }).onDelete("cascade"),
    unique("mail_allowed_senders_tenant_pattern_unique").on(t.tenantId, t.pattern),
    index("mail_allowed_senders_tenant_id_idx").on(t.tenantId),
  ],
);

export const mailMessageOutcomes = ["ingested", "no_document", "sender_not_allowed"] as const;
export type MailMessageOutcome = (typeof mailMessageOutcomes)[number];

/**
 * One received message, as one tenant got it (a message to two tenants is two rows). It came
 * either to an address (SMTP: address_id) or from a polled IMAP mailbox (imap_*: the mailbox,
 * and the folder's UIDVALIDITY and the message's UID, which make an import happen once).
 */
export const mailMessages = pgTable(
  "mail_messages",
  {
    ...tenantKey,
    addressId: uuid("address_id"),
    /** Set to null when the mailbox is deleted; the UIDs stay as a record of what came in. */
    imapMailboxId: uuid("imap_mailbox_id"),
    imapUidValidity: bigint("imap_uid_validity", { mode: "number" }),
    imapUid: bigint("imap_uid", { mode: "number" }),
    /** The From header's address (what a person reads), and the SMTP envelope's sender. */
    sender: text("sender").notNull(),
    envelopeSender: text("envelope_sender"),
    subject: text("subject").notNull().default(""),
    /** The plain-text body, cut to a bound (mail-limits.ts). */
    bodyText: text("body_text").notNull().default(""),
    messageIdHeader: text("message_id_header"),
    outcome: text("outcome", { enum: mailMessageOutcomes }).notNull(),
    attachmentCount: integer("attachment_count").notNull().default(0),
    receivedAt: timestamp("received_at", { withTimezone: true, mode: "date" })
      .notNull()
      .defaultNow(),
  },
  (t) => [
    primaryKey({ name: "mail_messages_pkey", columns: [t.tenantId, t.id] }),
    foreignKey({
      name: "mail_messages_tenant_fk",
      columns: [t.tenantId],
      foreignColumns: [tenants.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "mail_messages_address_fk",
      columns: [t.tenantId, t.addressId],
      foreignColumns: [mailAddresses.tenantId, mailAddresses.id],
    }).onDelete("cascade"),
    // The SQL (drizzle/0013) narrows the delete action to SET NULL (imap_mailbox_id).
    foreignKey({
      name: "mail_messages_imap_mailbox_fk",
      columns: [t.tenantId, t.imapMailboxId],
      foreignColumns: [mailImapMailboxes.tenantId, mailImapMailboxes.id],
    }),
    unique("mail_messages_imap_uid_unique").on(
      t.tenantId,
      t.imapMailboxId,
      t.imapUidValidity,
      t.imapUid,
    ),
    check(
      "mail_messages_source_check",
      sql`${t.addressId} is not null or (${t.imapUidValidity} is not null and ${t.imapUid} is not null)`,
    ),
    index("mail_messages_tenant_received_idx").on(t.tenantId, t.receivedAt),
    index("mail_messages_address_idx").on(t.tenantId, t.addressId),
    check(
      "mail_messages_outcome_check",
      sql`${t.outcome} in ('ingested', 'no_document', 'sender_not_allowed')`,
    ),
    check("mail_messages_body_bound", sql`length(${t.bodyText}) <= 20000`),
    check("mail_messages_subject_bound", sql`length(${t.subject}) <= 500`),
  ],
);

export const mailAttachmentOutcomes = ["created", "duplicate", "refused"] as const;

/** Every attachment of a message and what became of it: an invoice, a duplicate, or a reason. */
export const mailAttachments = pgTable(
  "mail_attachments",
  {
    ...tenantKey,
    messageId: uuid("message_id").notNull(),
    /** The attachment's place in its message, from 0. */
    position: integer("position").notNull(),
    filename: text("filename"),
    declaredType: text("declared_type"),
    byteSize: bigint("byte_size", { mode: "number" }).notNull(),
    outcome: text("outcome", { enum: mailAttachmentOutcomes }).notNull(),
    /** Why it was refused: the sentence the ingestion path gave. */
    reason: text("reason"),
    /** The invoice it became (or duplicated); set to null if that draft is deleted later. */
    invoiceId: uuid("invoice_id"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: "mail_attachments_pkey", columns: [t.tenantId, t.id] }),
    foreignKey({
      name: "mail_attachments_tenant_fk",
      columns: [t.tenantId],
      foreignColumns: [tenants.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "mail_attachments_message_fk",
      columns: [t.tenantId, t.messageId],
      foreignColumns: [mailMessages.tenantId, mailMessages.id],
    }).onDelete("cascade"),
    // The SQL (drizzle/0011) narrows the delete action to SET NULL (invoice_id).
    foreignKey({
      name: "mail_attachments_invoice_fk",
      columns: [t.tenantId, t.invoiceId],
      foreignColumns: [invoices.tenantId, invoices.id],
    }),
    unique("mail_attachments_message_position_unique").on(t.tenantId, t.messageId, t.position),
    index("mail_attachments_invoice_idx").on(t.tenantId, t.invoiceId),
    check(
      "mail_attachments_outcome_check",
      sql`${t.outcome} in ('created', 'duplicate', 'refused')`,
    ),
  ],
);
