import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, tenantKey, updatedAt } from "./columns";
import { tenants } from "./platform";

/*
 * IMAP polling (drizzle/0013): a mailbox Remit logs in to for a tenant that cannot point mail at
 * Remit's own SMTP door. The password is kept sealed (AES-256-GCM, packages/api/src/mail/imap/
 * sealed-secret.ts) and never leaves the server. The poller finds due mailboxes through one
 * SECURITY DEFINER function (due_imap_mailboxes: ids only); everything else runs under
 * withTenant like any other tenant data.
 */

export const imapTlsModes = ["implicit", "starttls", "none"] as const;
export type ImapTlsMode = (typeof imapTlsModes)[number];

export const mailImapMailboxes = pgTable(
  "mail_imap_mailboxes",
  {
    ...tenantKey,
    label: text("label").notNull().default(""),
    host: text("host").notNull(),
    port: integer("port").notNull(),
    tlsMode: text("tls_mode", { enum: imapTlsModes }).notNull().default("implicit"),
    username: text("username").notNull(),
    /** `v1.<iv>.<tag>.<ciphertext>` (base64url), bound to this tenant and row; never returned. */
    passwordSealed: text("password_sealed").notNull(),
    folder: text("folder").notNull().default("INBOX"),
    /** Where imported messages are moved; null: they are only flagged \Seen. */
    processedFolder: text("processed_folder"),
    enabled: boolean("enabled").notNull().default(true),
    /** The folder's UIDVALIDITY when last_uid was read; a change means the UIDs start over. */
    uidValidity: bigint("uid_validity", { mode: "number" }),
    /** The highest UID handled (imported or recorded) under uid_validity. */
    lastUid: bigint("last_uid", { mode: "number" }).notNull().default(0),
    lastPollAt: timestamp("last_poll_at", { withTimezone: true, mode: "date" }),
    /** The last poll's failure, as a sentence for the admins; null after a good poll. */
    lastError: text("last_error"),
    /** Polls failed in a row: each one waits longer before the next (backoff). */
    failures: integer("failures").notNull().default(0),
    nextPollAt: timestamp("next_poll_at", { withTimezone: true, mode: "date" })
      .notNull()
      .defaultNow(),
    importedCount: integer("imported_count").notNull().default(0),
    createdBy: uuid("created_by").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: "mail_imap_mailboxes_pkey", columns: [t.tenantId, t.id] }),
    foreignKey({
      name: "mail_imap_mailboxes_tenant_fk",
      columns: [t.tenantId],
      foreignColumns: [tenants.id],
    }).onDelete("cascade"),
    index("mail_imap_mailboxes_tenant_id_idx").on(t.tenantId),
    index("mail_imap_mailboxes_due_idx").on(t.nextPollAt),
    check("mail_imap_mailboxes_tls_check", sql`${t.tlsMode} in ('implicit', 'starttls', 'none')`),
    check("mail_imap_mailboxes_port_check", sql`${t.port} between 1 and 65535`),
    check("mail_imap_mailboxes_label_bound", sql`length(${t.label}) <= 100`),
    check("mail_imap_mailboxes_host_bound", sql`length(${t.host}) between 1 and 253`),
    check("mail_imap_mailboxes_username_bound", sql`length(${t.username}) between 1 and 320`),
    check(
      "mail_imap_mailboxes_folder_bound",
      sql`length(${t.folder}) between 1 and 200 and length(coalesce(${t.processedFolder}, '')) <= 200`,
    ),
    check("mail_imap_mailboxes_error_bound", sql`length(coalesce(${t.lastError}, '')) <= 500`),
  ],
);
