import { sql } from "drizzle-orm";
import {
  check,
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
import { createdAt, tenantKey, updatedAt } from "./columns";
import { documents } from "./documents";
import { invoices } from "./invoices";
import { tenants } from "./platform";

export const ocrJobStatuses = ["queued", "running", "succeeded", "failed", "dead"] as const;
export type OcrJobStatus = (typeof ocrJobStatuses)[number];
export const ocrJobStatus = pgEnum("ocr_job_status", ocrJobStatuses);

/**
 * The OCR queue. A worker claims a job with FOR UPDATE SKIP LOCKED and holds a lease it must
 * keep extending; `attempts` fences completion so that a stale worker's late result is ignored.
 */
export const ocrJobs = pgTable(
  "ocr_jobs",
  {
    ...tenantKey,
    invoiceId: uuid("invoice_id").notNull(),
    documentId: uuid("document_id").notNull(),
    status: ocrJobStatus("status").notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(5),
    runAfter: timestamp("run_after", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: timestamp("lease_expires_at", { withTimezone: true, mode: "date" }),
    progress: integer("progress").notNull().default(0),
    lastError: text("last_error"),
    result: jsonb("result"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    completedAt: timestamp("completed_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [
    primaryKey({ name: "ocr_jobs_pkey", columns: [t.tenantId, t.id] }),
    foreignKey({
      name: "ocr_jobs_tenant_fk",
      columns: [t.tenantId],
      foreignColumns: [tenants.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "ocr_jobs_invoice_fk",
      columns: [t.tenantId, t.invoiceId],
      foreignColumns: [invoices.tenantId, invoices.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "ocr_jobs_document_fk",
      columns: [t.tenantId, t.documentId],
      foreignColumns: [documents.tenantId, documents.id],
    }).onDelete("cascade"),
    index("ocr_jobs_tenant_id_idx").on(t.tenantId),
    index("ocr_jobs_tenant_invoice_idx").on(t.tenantId, t.invoiceId),
    index("ocr_jobs_claimable_idx").on(t.runAfter).where(sql`${t.status} in ('queued', 'running')`),
    check("ocr_jobs_progress_check", sql`${t.progress} between 0 and 100`),
    check("ocr_jobs_attempts_check", sql`${t.attempts} >= 0 and ${t.maxAttempts} >= 1`),
  ],
);
