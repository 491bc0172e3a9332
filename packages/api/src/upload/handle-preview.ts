import { Readable } from "node:stream";
import { pagePreviewKey, tenantStore } from "@remit/storage";
import type { ApiDeps } from "../context";
import {
  BadRequestError,
  ConflictError,
  NotFoundError,
  PayloadTooLargeError,
  UnsupportedMediaError,
} from "../errors";
import { documentById } from "../queries/documents";
import { attemptHoldsJob } from "../queries/jobs";
import { jobRoute, type RouteAnswer, type RouteMeta } from "../request/http-route";

export type PreviewResult = RouteAnswer<{ page: number; bytes: number }>;

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * PUT /api/jobs/:jobId/pages/:page: the worker stores a page preview it rendered, with its job
 * token, fenced like a job procedure (request/http-route.ts jobRoute). The key is derived from
 * the job's own document (never from the request), the attempt must still hold the job, and the
 * body must be a PNG within the size limit.
 */
export function handlePagePreview(
  deps: ApiDeps,
  request: Request,
  params: { jobId: string; page: string },
  meta: RouteMeta = { requestId: crypto.randomUUID(), ip: null },
): Promise<PreviewResult> {
  const procedure = "PUT /api/jobs/:jobId/pages/:page";
  return jobRoute(deps, request, meta, { procedure, jobId: params.jobId }, async (call) => {
    const page = Number(params.page);
    if (!Number.isInteger(page) || page < 1 || page > 9999) {
      throw new BadRequestError("page must be 1–9999");
    }
    const found = await call.transaction(async ({ db }) => ({
      held: await attemptHoldsJob(db, call.job),
      key: (await documentById(db, call.job.documentId))?.storageKey,
    }));
    if (!found.key) throw new NotFoundError("job");
    if (!found.held) throw new ConflictError("this attempt no longer holds the job");

    const max = deps.queue.maxPreviewBytes;
    const body = Buffer.from(await request.arrayBuffer().catch(() => new ArrayBuffer(0)));
    if (body.byteLength > max)
      throw new PayloadTooLargeError(`a preview may be at most ${max} bytes`);
    if (!body.subarray(0, 8).equals(pngSignature)) {
      throw new UnsupportedMediaError("a page preview must be a PNG");
    }
    const [tenantId, userId, invoiceId] = found.key.split("/") as [string, string, string];
    const key = pagePreviewKey({ tenantId, userId, invoiceId }, page);
    const put = await tenantStore(deps.store, call.job.tenantId).put(key, Readable.from([body]), {
      maxBytes: max,
      contentType: "image/png",
    });
    return { status: 201, body: { page, bytes: put.bytes } };
  });
}
