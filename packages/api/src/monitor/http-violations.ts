import { type ApiDeps, identifyOrReject } from "../context";
import type { Violation } from "./violation";

/**
 * A download link that did not open (GET /api/files): forged, or presented by someone it was not
 * issued to. Who presented it is worked out after the 404 has gone out (it costs a session
 * lookup), so the answer's timing is the same whatever the link was. The link's own tenant is
 * the target: the request names it.
 */
export function recordLinkViolation(
  deps: ApiDeps,
  request: Request,
  meta: { requestId: string | null; ip: string | null },
  kind: Extract<Violation["kind"], "invalid_file_link" | "file_link_mismatch">,
  query: URLSearchParams,
): void {
  setImmediate(() => {
    void identifyOrReject(deps, request.headers)
      .catch(() => ({ caller: null }))
      .then(({ caller }) =>
        deps.monitor.record({
          kind,
          actorType: caller ? "user" : "anonymous",
          actorId: caller?.userId ?? null,
          callerTenantId: null,
          targetTenantId: (query.get("t") ?? "").slice(0, 100) || null,
          procedure: "GET /api/files",
          target: (query.get("k") ?? "").slice(0, 300) || null,
          requestId: meta.requestId,
          ip: meta.ip,
          detail: { linkUser: (query.get("u") ?? "").slice(0, 100) },
        }),
      );
  });
}
