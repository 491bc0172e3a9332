import type { ApiDeps } from "../context";
import { ingestDocument } from "../ingest/ingest-document";
import { type RouteAnswer, type RouteMeta, tenantRoute } from "../request/http-route";
import { receiveOneFile } from "./receive";

type Uploaded =
  | { invoiceId: string; documentId: string; duplicate: false }
  | { invoiceId: string; duplicate: true };

export type UploadResult = RouteAnswer<Uploaded>;

/**
 * POST /api/invoices/upload: one file, streamed. The door resolves the caller, tenant and
 * permission as every procedure does (request/http-route.ts), then hands the multipart's file to
 * the one ingestion path (ingest/ingest-document.ts). If the process dies between the object and
 * its rows, the sweeper removes the object later.
 */
export function handleUpload(
  deps: ApiDeps,
  request: Request,
  meta: RouteMeta,
): Promise<UploadResult> {
  return tenantRoute<Uploaded>(
    deps,
    request,
    meta,
    { procedure: "POST /api/invoices/upload", permission: "invoice:create" },
    async (call) => {
      const { file, done } = receiveOneFile(request);
      const received = await file;
      const outcome = await ingestDocument(
        deps,
        {
          actor: call.actor,
          actorType: call.caller.kind === "session" ? "user" : "service",
          requestId: meta.requestId,
          ip: meta.ip,
          via: "upload",
          transaction: call.transaction,
        },
        {
          stream: received.stream,
          filename: received.filename,
          declaredType: received.declaredType,
          complete: done,
        },
      );
      return outcome.kind === "created"
        ? {
            status: 201,
            body: {
              invoiceId: outcome.invoiceId,
              documentId: outcome.documentId,
              duplicate: false,
            },
          }
        : { status: 200, body: { invoiceId: outcome.invoiceId, duplicate: true } };
    },
  );
}
