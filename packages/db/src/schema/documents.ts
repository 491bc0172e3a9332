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
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, tenantKey } from "./columns";
import { invoices } from "./invoices";
import { tenants } from "./platform";

/** A stored file: the original upload of an invoice. The bytes live in object storage. */
export const documents = pgTable(
  "documents",
  {
    ...tenantKey,
    invoiceId: uuid("invoice_id").notNull(),
    /** Built by one function only: {tenant_id}/{user_id}/{invoice_id}/original.{ext}. */
    storageKey: text("storage_key").notNull(),
    /** The uploader's filename, kept as metadata only; it never becomes part of a key. */
    originalFilename: text("original_filename"),
    contentType: text("content_type").notNull(),
    byteSize: bigint("byte_size", { mode: "number" }).notNull(),
    sha256: text("sha256").notNull(),
    pageCount: integer("page_count"),
    createdBy: uuid("created_by").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: "documents_pkey", columns: [t.tenantId, t.id] }),
    foreignKey({
      name: "documents_tenant_fk",
      columns: [t.tenantId],
      foreignColumns: [tenants.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "documents_invoice_fk",
      columns: [t.tenantId, t.invoiceId],
      foreignColumns: [invoices.tenantId, invoices.id],
    }).onDelete("cascade"),
    unique("documents_tenant_sha256_unique").on(t.tenantId, t.sha256),
    unique("documents_storage_key_unique").on(t.storageKey),
    index("documents_tenant_id_idx").on(t.tenantId),
    index("documents_invoice_idx").on(t.tenantId, t.invoiceId),
    index("documents_created_by_idx").on(t.createdBy),
    // The key's first segment is the row's own tenant: a row can never point into another
    // tenant's storage prefix, whatever the code that wrote it.
    check(
      "documents_storage_key_tenant_prefix",
      sql`starts_with(${t.storageKey}, ${t.tenantId}::text || '/')`,
    ),
    check("documents_sha256_hex", sql`${t.sha256} ~ '^[0-9a-f]{64}$'`),
    check(
      "documents_content_type_check",
      sql`${t.contentType} in ('application/pdf', 'image/jpeg', 'image/png', 'application/xml')`,
    ),
    check("documents_byte_size_check", sql`${t.byteSize} between 1 and 10485760`),
  ],
);
