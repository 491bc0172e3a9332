import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { can } from "@remit/auth";
import { auditLog, documents, invoices, ocrJobs, sqlState, withTenant } from "@remit/db";
import {
  ObjectNotFoundError,
  originalKey,
  safeFilename,
  TooLargeError,
  tenantStore,
} from "@remit/storage";
import { eq } from "drizzle-orm";
import type { ApiDeps } from "../context";
import { identify } from "../context";
import { resolveTenant } from "../tenant-context";
import {
  assertClaimsMatch,
  inspect,
  limits,
  sniff,
  UnprocessableFileError,
  UnsupportedTypeError,
} from "./inspect";
import { BadUploadError, peek, receiveOneFile } from "./receive";

export type UploadResult =
  | { status: 201; body: { invoiceId: string; documentId: string; duplicate: false } }
  | { status: 200; body: { invoiceId: string; duplicate: true } }
  | { status: 400 | 401 | 403 | 409 | 413 | 415 | 422; body: { error: string } };

const fail = (status: 400 | 401 | 403 | 409 | 413 | 415 | 422, error: string): UploadResult => ({
  status,
  body: { error },
});

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

/**
 * POST /api/invoices/upload: one file, streamed. The caller and tenant are resolved exactly as for
 * tRPC; the bytes are counted, hashed and typed while they stream into the tenant's prefix; the
 * object and its rows (draft invoice, document, OCR job, audit) appear together or not at all.
 * If the process dies between the object and the rows, the sweeper removes the object later.
 */
export async function handleUpload(
  deps: ApiDeps,
  request: Request,
  meta: { requestId: string; ip: string | null },
): Promise<UploadResult> {
  const caller = await identify(deps, request.headers);
  if (!caller) return fail(401, "sign in first");
  const resolved = await resolveTenant(deps, caller);
  if (!resolved.ok) return fail(403, resolved.message);
  if (!can(resolved.role, "invoice:create"))
    return fail(403, `your role (${resolved.role}) may not upload invoices`);
  const tenant = { tenantId: resolved.tenantId, userId: caller.userId, role: resolved.role };
  const store = tenantStore(deps.store, tenant.tenantId);

  const { file, done } = receiveOneFile(request);
  let stored: string | undefined;
  try {
    const received = await file;
    const { head, rest } = await peek(received.stream, limits.sniffBytes);
    const contentType = await sniff(head);
    assertClaimsMatch(contentType, received.declaredType, received.filename);
    const invoiceId = randomUUID();
    const key = originalKey(
      { tenantId: tenant.tenantId, userId: tenant.userId, invoiceId },
      contentType,
    );
    stored = key;
    let put = await store.put(key, rest, { maxBytes: limits.maxBytes, contentType });
    await done;
    const { pageCount, replacement } = await inspect(
      await readAll(await store.get(key)),
      contentType,
    );
    // An image is kept only as its clean re-encoding (image-clean.ts); duplicates are judged on it.
    if (replacement) {
      put = await store.put(key, Readable.from([replacement]), {
        maxBytes: limits.maxBytes,
        contentType,
      });
    }
    const filename = safeFilename(received.filename, contentType);

    const outcome = await withTenant(deps.db, tenant, async (tx) => {
      const [existing] = await tx
        .select({ invoiceId: documents.invoiceId })
        .from(documents)
        .where(eq(documents.sha256, put.sha256));
      if (existing) return { duplicate: true as const, invoiceId: existing.invoiceId };
      await tx
        .insert(invoices)
        .values({ id: invoiceId, tenantId: tenant.tenantId, createdBy: tenant.userId });
      const [document] = await tx
        .insert(documents)
        .values({
          tenantId: tenant.tenantId,
          invoiceId,
          storageKey: key,
          originalFilename: filename,
          contentType,
          byteSize: put.bytes,
          sha256: put.sha256,
          pageCount,
          createdBy: tenant.userId,
        })
        .returning({ id: documents.id });
      if (!document) throw new Error("document insert returned no row");
      await tx
        .insert(ocrJobs)
        .values({ tenantId: tenant.tenantId, invoiceId, documentId: document.id });
      await tx.insert(auditLog).values({
        tenantId: tenant.tenantId,
        actorId: tenant.userId,
        actorType: caller.kind === "session" ? "user" : "service",
        action: "invoice.upload",
        entityType: "invoice",
        entityId: invoiceId,
        summary: { filename, contentType, bytes: put.bytes, sha256: put.sha256, pageCount },
        requestId: meta.requestId,
        ip: meta.ip,
      });
      return { duplicate: false as const, invoiceId, documentId: document.id };
    });
    if (outcome.duplicate) {
      await store.delete(key);
      return { status: 200, body: { invoiceId: outcome.invoiceId, duplicate: true } };
    }
    stored = undefined; // committed: the object now belongs to its rows
    deps.events.publish(tenant.tenantId, {
      invoiceId: outcome.invoiceId,
      kind: "invoice.created",
      status: "draft",
    });
    return { status: 201, body: outcome };
  } catch (error) {
    if (error instanceof TooLargeError) return fail(413, `${error.message}; the limit is 10 MB`);
    if (error instanceof UnsupportedTypeError) return fail(415, error.message);
    if (error instanceof UnprocessableFileError) return fail(422, error.message);
    if (error instanceof BadUploadError) return fail(400, error.message);
    if (error instanceof ObjectNotFoundError) return fail(422, "the file could not be read back");
    // Two uploads of the same bytes at once: the unique (tenant, sha256) key decides.
    if (sqlState(error) === "23505")
      return fail(409, "the same file was uploaded at the same moment; it is a duplicate");
    throw error;
  } finally {
    if (stored) await store.delete(stored).catch(() => {});
  }
}
