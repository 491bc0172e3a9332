import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, decimal4, money, tenantKey, updatedAt } from "./columns";
import { tenants } from "./platform";
import { suppliers } from "./suppliers";

export const invoiceStatuses = [
  "draft",
  "pending_verification",
  "verified",
  "approved_to_ap",
  "paid",
] as const;
export type InvoiceStatus = (typeof invoiceStatuses)[number];
export const invoiceStatus = pgEnum("invoice_status", invoiceStatuses);

/**
 * An invoice moves draft -> pending_verification -> verified -> approved_to_ap -> paid (reject
 * sends it back to draft). Approval sets is_locked, after which the database refuses every change
 * to the invoice, its lines and its document (see drizzle/0001_tenant_isolation.sql), except the
 * one step accounting takes: approved_to_ap -> paid, which stays locked (drizzle/0015).
 */
export const invoices = pgTable(
  "invoices",
  {
    ...tenantKey,
    status: invoiceStatus("status").notNull().default("draft"),
    isLocked: boolean("is_locked").notNull().default(false),
    supplierId: uuid("supplier_id"),
    invoiceNumber: text("invoice_number"),
    invoiceDate: date("invoice_date", { mode: "string" }),
    dueDate: date("due_date", { mode: "string" }),
    currency: text("currency"),
    subtotal: money("subtotal"),
    taxAmount: money("tax_amount"),
    total: money("total"),
    /** What is left to pay after prepayments, when the document states it apart from the total. */
    amountDue: money("amount_due"),
    /** Field names a person has edited; OCR results never overwrite these. */
    editedFields: text("edited_fields").array().notNull().default(sql`'{}'::text[]`),
    /** The latest extraction (fields with confidence and boxes) and its arithmetic warnings. */
    extraction: jsonb("extraction"),
    warnings: jsonb("warnings").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    createdBy: uuid("created_by").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    submittedAt: timestamp("submitted_at", { withTimezone: true, mode: "date" }),
    verifiedBy: uuid("verified_by"),
    verifiedAt: timestamp("verified_at", { withTimezone: true, mode: "date" }),
    approvedBy: uuid("approved_by"),
    approvedAt: timestamp("approved_at", { withTimezone: true, mode: "date" }),
    /** Who submitted it for verification (the trigger writes it; separation of duties reads it). */
    submittedBy: uuid("submitted_by"),
    /** Who last sent it back to draft, and when (the reason is the rejection comment). */
    rejectedBy: uuid("rejected_by"),
    rejectedAt: timestamp("rejected_at", { withTimezone: true, mode: "date" }),
    /** One person took two steps of this invoice's review because the tenant relaxed the rule. */
    dutiesRelaxed: boolean("duties_relaxed").notNull().default(false),
    /** Counts submissions: approvals of an earlier round (before a rejection) no longer count. */
    reviewRound: integer("review_round").notNull().default(0),
    /** What was approved: supplier name, tax id, bank details and totals, frozen at the lock. */
    approvedSnapshot: jsonb("approved_snapshot"),
    /** When the supplier's bank details changed while this invoice was not yet approved. */
    bankDetailsChangedAt: timestamp("bank_details_changed_at", {
      withTimezone: true,
      mode: "date",
    }),
    /**
     * An OCR result that arrived after the invoice left draft: the values it would have filled,
     * kept for the reviewer to apply (invoice.applyProposal) rather than dropped.
     */
    ocrProposal: jsonb("ocr_proposal"),
    /** When accounting paid it (as told by the caller, default now), and who said so. */
    paidAt: timestamp("paid_at", { withTimezone: true, mode: "date" }),
    paidBy: uuid("paid_by"),
    /** The payment's reference in the accounting system (bank transfer id, voucher number). */
    paymentReference: text("payment_reference"),
  },
  (t) => [
    primaryKey({ name: "invoices_pkey", columns: [t.tenantId, t.id] }),
    foreignKey({
      name: "invoices_tenant_fk",
      columns: [t.tenantId],
      foreignColumns: [tenants.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "invoices_supplier_fk",
      columns: [t.tenantId, t.supplierId],
      foreignColumns: [suppliers.tenantId, suppliers.id],
    }),
    index("invoices_tenant_id_idx").on(t.tenantId),
    index("invoices_tenant_status_idx").on(
      t.tenantId,
      t.status,
      t.createdAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index("invoices_tenant_created_at_idx").on(
      t.tenantId,
      t.createdAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index("invoices_created_by_idx").on(t.createdBy),
    // "Mine", alone and per status tab, in page order (drizzle/0012).
    index("invoices_tenant_creator_created_at_idx").on(
      t.tenantId,
      t.createdBy,
      t.createdAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index("invoices_tenant_creator_status_idx").on(
      t.tenantId,
      t.createdBy,
      t.status,
      t.createdAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    // drizzle/0015 adds the partial invoices_tenant_creator_ready_drafts_idx for "Waiting for me"
    // (a creator's rejected or read drafts), hand-written with its predicate.
    // drizzle/0012 and 0017 also add generated columns: search_text and search_words (the words
    // index invoices_search_words_idx), and drizzle/0016 read_supplier_name and the rest. They
    // are left out here on purpose: no row the app reads or returns carries them; the inbox
    // names them (queries/invoice-row.ts, invoice-inbox.ts).
    index("invoices_tenant_supplier_number_idx").on(t.tenantId, t.supplierId, t.invoiceNumber),
    // Compared as text: drizzle/0015 adds 'paid' to the enum in the same transaction that adds
    // this check, where the new value may not be used as an enum literal yet.
    check(
      "invoices_lock_matches_status",
      sql`${t.isLocked} = (${t.status}::text in ('approved_to_ap', 'paid'))`,
    ),
    check(
      "invoices_paid_check",
      sql`(${t.status}::text = 'paid') = (${t.paidAt} is not null and ${t.paidBy} is not null)`,
    ),
    check("invoices_currency_check", sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);

/**
 * The inbox tabs' counts per tenant, creator and status, kept by statement-level triggers on
 * invoices (drizzle/0012) so that counting never scans the tenant. remit_app reads them under
 * RLS; its own writes are refused unless they come from those triggers.
 */
export const invoiceStatusCounts = pgTable(
  "invoice_status_counts",
  {
    tenantId: uuid("tenant_id").notNull(),
    createdBy: uuid("created_by").notNull(),
    status: invoiceStatus("status").notNull(),
    n: bigint("n", { mode: "number" }).notNull().default(0),
  },
  (t) => [
    primaryKey({
      name: "invoice_status_counts_pkey",
      columns: [t.tenantId, t.createdBy, t.status],
    }),
    foreignKey({
      name: "invoice_status_counts_tenant_fk",
      columns: [t.tenantId],
      foreignColumns: [tenants.id],
    }).onDelete("cascade"),
  ],
);

export const invoiceLineItems = pgTable(
  "invoice_line_items",
  {
    ...tenantKey,
    invoiceId: uuid("invoice_id").notNull(),
    position: integer("position").notNull().default(0),
    description: text("description").notNull().default(""),
    quantity: decimal4("quantity"),
    unitPrice: decimal4("unit_price"),
    amount: money("amount"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: "invoice_line_items_pkey", columns: [t.tenantId, t.id] }),
    foreignKey({
      name: "invoice_line_items_tenant_fk",
      columns: [t.tenantId],
      foreignColumns: [tenants.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "invoice_line_items_invoice_fk",
      columns: [t.tenantId, t.invoiceId],
      foreignColumns: [invoices.tenantId, invoices.id],
    }).onDelete("cascade"),
    index("invoice_line_items_tenant_id_idx").on(t.tenantId),
    index("invoice_line_items_invoice_idx").on(t.tenantId, t.invoiceId, t.position),
  ],
);

export const commentKinds = ["comment", "rejection"] as const;

export const invoiceComments = pgTable(
  "invoice_comments",
  {
    ...tenantKey,
    invoiceId: uuid("invoice_id").notNull(),
    authorId: uuid("author_id").notNull(),
    kind: text("kind", { enum: commentKinds }).notNull().default("comment"),
    body: text("body").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: "invoice_comments_pkey", columns: [t.tenantId, t.id] }),
    foreignKey({
      name: "invoice_comments_tenant_fk",
      columns: [t.tenantId],
      foreignColumns: [tenants.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "invoice_comments_invoice_fk",
      columns: [t.tenantId, t.invoiceId],
      foreignColumns: [invoices.tenantId, invoices.id],
    }).onDelete("cascade"),
    index("invoice_comments_tenant_id_idx").on(t.tenantId),
    index("invoice_comments_invoice_idx").on(t.tenantId, t.invoiceId, t.createdAt),
    index("invoice_comments_author_idx").on(t.authorId),
    check("invoice_comments_kind_check", sql`${t.kind} in ('comment', 'rejection')`),
    check("invoice_comments_body_length", sql`char_length(${t.body}) between 1 and 10000`),
  ],
);
