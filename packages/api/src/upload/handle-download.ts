import { Readable } from "node:stream";
import {
  contentDisposition,
  isTenantKey,
  type SignedLink,
  tenantStore,
  verifyQuery,
} from "@remit/storage";
import { type ApiDeps, type Context, createContext } from "../context";
import { workerActorId } from "../jobs/worker-credential";
import { recordLinkViolation } from "../monitor/http-violations";
import { documentById, documentKeysOf } from "../queries/documents";
import { inTenantTransaction, jobActor } from "../request/steps";
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
async function isLinkHolder(ctx: Context, link: SignedLink): Promise<boolean> {
  if (link.userId === workerActorId) {
    const service = ctx.service;
    if (service?.kind !== "job" || service.job.tenantId !== link.tenantId) return false;
    const own = await inTenantTransaction(ctx, jobActor(service.job), ({ db }) =>
      documentById(db, service.job.documentId),
    );
    return Boolean(own && sameFolder(own.storageKey, link.key));
  }
  if (!ctx.caller || ctx.caller.userId !== link.userId) return false;
  const tenant = await resolveTenant(ctx.deps, ctx.caller);
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
  // The request is identified as every call is (context.ts), then compared with the link.
  const holder = await createContext(deps, {
    headers: request.headers,
    requestId: meta.requestId ?? undefined,
    ip: meta.ip,
  })
    .then((ctx) => isLinkHolder(ctx, link))
    .catch(() => false);
  if (!holder) {
    recordLinkViolation(deps, request, meta, "file_link_mismatch", query);
    return notFound();
  }
  // A page preview lives next to its original: it is served while that document exists.
  const [, , invoiceId] = link.key.split("/");
  const found = await inTenantTransaction(
    { deps },
    { tenantId: link.tenantId, userId: link.userId, role: "user" },
    ({ db }) => documentKeysOf(db, invoiceId ?? ""),
  )
    .then((keys) => keys.filter((key) => sameFolder(key, link.key)))
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
