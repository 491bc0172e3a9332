import { documents, invoices, ocrJobs, type TenantDb } from "@remit/db";
import { eq } from "drizzle-orm";
import { NotFoundError } from "../errors";

/** An invoice's document; NOT_FOUND when the tenant has no such invoice or it has no file. */
export async function documentOf(db: TenantDb, invoiceId: string) {
  const [document] = await db.select().from(documents).where(eq(documents.invoiceId, invoiceId));
  if (!document) throw new NotFoundError("document");
  return document;
}

/** A document by its id (a job names its document). */
export async function documentById(db: TenantDb, documentId: string) {
  const [document] = await db.select().from(documents).where(eq(documents.id, documentId));
  return document;
}

/** The storage keys of an invoice's documents: what to delete once its rows are gone. */
export async function documentKeysOf(db: TenantDb, invoiceId: string): Promise<string[]> {
  const rows = await db
    .select({ key: documents.storageKey })
    .from(documents)
    .where(eq(documents.invoiceId, invoiceId));
  return rows.map((row) => row.key);
}

/** The invoice already holding a file with these bytes in this tenant, if any. */
export async function invoiceWithFile(db: TenantDb, sha256: string): Promise<string | undefined> {
  const [existing] = await db
    .select({ invoiceId: documents.invoiceId })
    .from(documents)
    .where(eq(documents.sha256, sha256));
  return existing?.invoiceId;
}

export interface NewDocument {
  tenantId: string;
  invoiceId: string;
  createdBy: string;
  storageKey: string;
  originalFilename: string | null;
  contentType: string;
  byteSize: number;
  sha256: string;
  pageCount: number;
}

/** A draft invoice for a stored file, its document row and the job that will read it. */
export async function createDraftFromDocument(db: TenantDb, file: NewDocument): Promise<string> {
  const { tenantId, invoiceId, createdBy } = file;
  await db.insert(invoices).values({ id: invoiceId, tenantId, createdBy });
  const [document] = await db.insert(documents).values(file).returning({ id: documents.id });
  if (!document) throw new Error("document insert returned no row");
  await db.insert(ocrJobs).values({ tenantId, invoiceId, documentId: document.id });
  return document.id;
}

/**
 * Whether a stored object still has its row: an original its document row, a page preview its
 * invoice. The sweeper removes what has neither.
 */
export async function objectIsOwned(
  db: TenantDb,
  object: { key: string; invoiceId: string; original: boolean },
): Promise<boolean> {
  const rows = object.original
    ? await db
        .select({ id: documents.id })
        .from(documents)
        .where(eq(documents.storageKey, object.key))
    : await db.select({ id: invoices.id }).from(invoices).where(eq(invoices.id, object.invoiceId));
  return rows.length > 0;
}
