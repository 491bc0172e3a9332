import { Readable } from "node:stream";
import { documents, ocrJobs, withTenant } from "@remit/db";
import { pagePreviewKey, TooLargeError, tenantStore } from "@remit/storage";
import { and, eq } from "drizzle-orm";
import type { ApiDeps } from "../context";
import { jobTokenFailure } from "../jobs/job-token";
import { identifyService } from "../jobs/service-caller";
import { workerActorId } from "../jobs/worker-credential";

export type PreviewResult = {
  status: 201 | 400 | 401 | 404 | 409 | 413 | 415;
  body: { error: string } | { page: number; bytes: number };
};

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const fail = (status: PreviewResult["status"], error: string): PreviewResult => ({
  status,
  body: { error },
});

/**
 * PUT /api/jobs/:jobId/pages/:page: the worker stores a page preview it rendered, with its job
 * token. The key is derived from the job's own document (never from the request), the attempt
 * must still hold the job, and the body must be a PNG within the size limit.
 */
export async function handlePagePreview(
  deps: ApiDeps,
  request: Request,
  params: { jobId: string; page: string },
  meta: { requestId: string | null; ip: string | null } = { requestId: null, ip: null },
): Promise<PreviewResult> {
  const procedure = "PUT /api/jobs/:jobId/pages/:page";
  const service = await identifyService(deps.service, request.headers);
  if (service === "invalid") {
    const bearer = request.headers.get("authorization")?.replace(/^Bearer\s+/i, "") ?? "";
    const failure = await jobTokenFailure(deps.service.jobTokenKey, deps.service.issuer, bearer);
    if (failure.reason === "forged") {
      deps.monitor.record({
        kind: "invalid_job_token",
        actorType: "anonymous",
        actorId: null,
        callerTenantId: null,
        targetTenantId: failure.claimedTenantId,
        procedure,
        target: `ocr_jobs:${params.jobId.slice(0, 100)}`,
        requestId: meta.requestId,
        ip: meta.ip,
      });
    }
  }
  if (service === null || service === "invalid" || service.kind !== "job") {
    return fail(401, "a job token is required");
  }
  const { job } = service;
  if (params.jobId !== job.jobId) {
    deps.monitor.record({
      kind: "job_token_mismatch",
      actorType: "service",
      actorId: null,
      callerTenantId: job.tenantId,
      targetTenantId: null,
      procedure,
      target: `ocr_jobs:${params.jobId.slice(0, 100)}`,
      requestId: meta.requestId,
      ip: meta.ip,
      detail: { tokenJobId: job.jobId, page: params.page.slice(0, 20) },
    });
    return fail(404, "job not found");
  }
  const page = Number(params.page);
  if (!Number.isInteger(page) || page < 1 || page > 9999) return fail(400, "page must be 1–9999");

  const actor = { tenantId: job.tenantId, userId: workerActorId, role: "user" as const };
  const found = await withTenant(deps.db, actor, async (tx) => {
    const [held] = await tx
      .select({ id: ocrJobs.id })
      .from(ocrJobs)
      .where(
        and(
          eq(ocrJobs.id, job.jobId),
          eq(ocrJobs.attempts, job.attempt),
          eq(ocrJobs.status, "running"),
        ),
      );
    const [document] = await tx
      .select({ key: documents.storageKey })
      .from(documents)
      .where(eq(documents.id, job.documentId));
    return { held: Boolean(held), key: document?.key };
  });
  if (!found.key) return fail(404, "job not found");
  if (!found.held) return fail(409, "this attempt no longer holds the job");

  const body = Buffer.from(await request.arrayBuffer().catch(() => new ArrayBuffer(0)));
  if (body.byteLength > deps.queue.maxPreviewBytes) {
    return fail(413, `a preview may be at most ${deps.queue.maxPreviewBytes} bytes`);
  }
  if (!body.subarray(0, 8).equals(pngSignature)) return fail(415, "a page preview must be a PNG");
  const [tenantId, userId, invoiceId] = found.key.split("/") as [string, string, string];
  const key = pagePreviewKey({ tenantId, userId, invoiceId }, page);
  try {
    const put = await tenantStore(deps.store, job.tenantId).put(key, Readable.from([body]), {
      maxBytes: deps.queue.maxPreviewBytes,
      contentType: "image/png",
    });
    return { status: 201, body: { page, bytes: put.bytes } };
  } catch (error) {
    if (error instanceof TooLargeError) return fail(413, "the preview is too large");
    throw error;
  }
}
