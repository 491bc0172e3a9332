import type { Auth } from "@remit/auth";
import type { Database } from "@remit/db";
import type { ObjectStore } from "@remit/storage";
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from "jose";
import type { InvoiceEvents } from "./events";
import type { FileLinkSettings } from "./files/file-links";
import type { QueueSettings } from "./jobs/queue-settings";
import { identifyService, type ServiceAuth, type ServiceCaller } from "./jobs/service-caller";
import type { TenantContextRecorder } from "./recorder";

/** Who is calling: a better-auth session (cookie or bearer), or a short-lived JWT. */
export type Caller =
  | { kind: "session"; userId: string; sessionId: string; activeTenantId: string | null }
  | { kind: "token"; userId: string; tenantId: string | null };

export interface ApiDeps {
  db: Database;
  auth: Auth;
  recorder: TenantContextRecorder;
  /** Object storage for uploaded documents (local filesystem or S3). */
  store: ObjectStore;
  /** The public origin, which is the JWT issuer and audience. */
  baseURL: string;
  /** How machine callers (the OCR worker) are recognised. */
  service: ServiceAuth;
  /** Lease, token and retry settings of the OCR queue. */
  queue: QueueSettings;
  /** Invoice and job events of this process, for live subscriptions. */
  events: InvoiceEvents;
  /** Signs the download links this server serves at /api/files. */
  fileLinks: FileLinkSettings;
}

export interface Context {
  deps: ApiDeps;
  /** The request's headers, passed on to better-auth calls made for the caller. */
  headers: Headers;
  requestId: string;
  ip: string | null;
  /** A person (session or user token); null for anonymous and for machine callers. */
  caller: Caller | null;
  /** The OCR worker or one of its job attempts; never set together with caller. */
  service: ServiceCaller | null;
}

const jwtShape = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/**
 * Identifies the caller from the request alone: a session (cookie, or `Authorization: Bearer`
 * with a session token) through better-auth, else a JWT verified against the JWKS. Nothing the
 * caller says about its tenant is read here.
 */
export async function identify(deps: ApiDeps, headers: Headers): Promise<Caller | null> {
  // A failure here is a server fault (database down, a JWT key encrypted with another secret),
  // not an anonymous caller: let it surface as a 500 rather than a misleading 401.
  const session = await deps.auth.api.getSession({ headers });
  if (session) {
    const active = (session.session as { activeOrganizationId?: string | null })
      .activeOrganizationId;
    return {
      kind: "session",
      userId: session.user.id,
      sessionId: session.session.id,
      activeTenantId: active ?? null,
    };
  }
  const bearer = headers.get("authorization")?.replace(/^Bearer\s+/i, "");
  if (!bearer || !jwtShape.test(bearer)) return null;
  try {
    const jwks = createLocalJWKSet((await deps.auth.api.getJwks()) as JSONWebKeySet);
    const { payload } = await jwtVerify(bearer, jwks, {
      issuer: deps.baseURL,
      audience: deps.baseURL,
    });
    if (typeof payload.sub !== "string") return null;
    const tenantId = typeof payload.tenant_id === "string" ? payload.tenant_id : null;
    return { kind: "token", userId: payload.sub, tenantId };
  } catch {
    return null;
  }
}

export async function createContext(
  deps: ApiDeps,
  request: { headers: Headers; requestId?: string; ip?: string | null },
): Promise<Context> {
  // Machine credentials first: a job token must never be tried as a person's token.
  const service = await identifyService(deps.service, request.headers);
  return {
    deps,
    headers: request.headers,
    requestId: request.requestId ?? crypto.randomUUID(),
    ip: request.ip ?? null,
    caller: service === null ? await identify(deps, request.headers) : null,
    service: service === "invalid" ? null : service,
  };
}
