import { Readable } from "node:stream";
import { documents, withTenant } from "@remit/db";
import { contentDisposition, isTenantKey, tenantStore, verifyQuery } from "@remit/storage";
import { eq } from "drizzle-orm";
import type { ApiDeps } from "../context";

const notFound = () =>
  new Response(JSON.stringify({ error: "not found" }), {
    status: 404,
    headers: { "content-type": "application/json" },
  });

const folderOf = (key: string) => key.slice(0, key.lastIndexOf("/") + 1);
const sameFolder = (a: string, b: string) => folderOf(a) === folderOf(b);

/**
 * GET /api/files?…: a signed link from invoice.fileUrl (local driver). The signature and expiry
 * are checked, then the key's tenant, then that the document row exists in that tenant (under
 * RLS, as the user the link was issued to). Anything wrong — tampered, expired, another
 * tenant's, deleted — is the same 404.
 */
export async function handleDownload(deps: ApiDeps, url: URL, secret: string): Promise<Response> {
  const link = verifyQuery(secret, url.searchParams);
  if (!link || !isTenantKey(link.key, link.tenantId)) return notFound();
  // A page preview lives next to its original: it is served while that document exists.
  const [, , invoiceId] = link.key.split("/");
  const found = await withTenant(
    deps.db,
    { tenantId: link.tenantId, userId: link.userId, role: "user" },
    (tx) =>
      tx
        .select({ key: documents.storageKey })
        .from(documents)
        .where(eq(documents.invoiceId, invoiceId ?? "")),
  )
    .then((rows) => rows.filter((row) => sameFolder(row.key, link.key)))
    .catch(() => []);
  if (found.length === 0) return notFound();
  const stream = await tenantStore(deps.store, link.tenantId)
    .get(link.key)
    .catch(() => null);
  if (!stream) return notFound();
  return new Response(Readable.toWeb(stream) as ReadableStream, {
    status: 200,
    headers: {
      "content-type": link.contentType,
      "content-disposition": contentDisposition(link.filename),
      "x-content-type-options": "nosniff",
      "cache-control": "private, no-store",
    },
  });
}
