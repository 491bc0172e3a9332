import { Readable } from "node:stream";
import { documents, withTenant } from "@remit/db";
import {
  contentDisposition,
  isTenantKey,
  type SignedLink,
  tenantStore,
  verifyQuery,
} from "@remit/storage";
import { eq } from "drizzle-orm";
import type { ApiDeps } from "../context";
import { identify } from "../context";
import { identifyService } from "../jobs/service-caller";
import { workerActorId } from "../jobs/worker-credential";
import { recordLinkViolation } from "../monitor/http-violations";
import { resolveTenant } from "../tenant-context";

const notFound = () =>
  new Response(JSON.stringify({ error: "not found" }), {
    status: 404,
    headers: { "content-type": "application/json" },
  });

const folderOf = (key: string) => key.slice(0, key.lastIndexOf("/") + 1);
const sameFolder = (a: string, b: string) => folderOf(a) === folderOf(b);

/**
 * Is this request made by the one the link was issued to? A person: the same user, by session
 * or token, whose tenant still resolves to the link's tenant. The worker: a job token of that
 * tenant whose own document lives in the link's folder.
 */
async function isLinkHolder(deps: ApiDeps, headers: Headers, link: SignedLink): Promise<boolean> {
  if (link.userId === workerActorId) {
    const service = await identifyService(deps.service, headers);
    if (service === null || service === "invalid" || service.kind !== "job") return false;
    if (service.job.tenantId !== link.tenantId) return false;
    const [own] = await withTenant(
      deps.db,
      { tenantId: link.tenantId, userId: workerActorId, role: "user" },
      (tx) =>
        tx
          .select({ key: documents.storageKey })
          .from(documents)
          .where(eq(documents.id, service.job.documentId)),
    );
    return Boolean(own && sameFolder(own.key, link.key));
  }
  const caller = await identify(deps, headers);
  if (!caller || caller.userId !== link.userId) return false;
  const tenant = await resolveTenant(deps, caller);
  return tenant.ok && tenant.tenantId === link.tenantId;
}

/**
 * GET /api/files?…: a signed link from invoice.fileUrl, invoice.pageUrls or a job claim. The
 * signature and expiry are checked, then the key's tenant, then that the request comes from
 * the link's holder (see isLinkHolder), then that the invoice's document still exists in that
 * tenant (under RLS). Anything wrong — tampered, expired, another tenant's, another user's,
 * deleted — is the same 404.
 */
export async function handleDownload(
  deps: ApiDeps,
  request: Request,
  meta: { requestId: string | null; ip: string | null } = { requestId: null, ip: null },
): Promise<Response> {
  const query = new URL(request.url).searchParams;
  const link = verifyQuery(deps.fileLinks.secret, query);
  // An expired link of ours is a slow client; a signature that does not hold, or a key outside
  // the link's tenant, is forged. Recorded after the answer, never awaited.
  if (!link) {
    const expired = verifyQuery(deps.fileLinks.secret, query, 0) !== null;
    if (!expired) recordLinkViolation(deps, request, meta, "invalid_file_link", query);
    return notFound();
  }
  if (!isTenantKey(link.key, link.tenantId)) {
    recordLinkViolation(deps, request, meta, "invalid_file_link", query);
    return notFound();
  }
  if (!(await isLinkHolder(deps, request.headers, link).catch(() => false))) {
    recordLinkViolation(deps, request, meta, "file_link_mismatch", query);
    return notFound();
  }
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
