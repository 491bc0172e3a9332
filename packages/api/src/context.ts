import type { Auth } from "@remit/auth";
import type { Database, IsolationViolationKind } from "@remit/db";
import type { ObjectStore } from "@remit/storage";
import { decodeJwt, errors } from "jose";
import type { JwksCache } from "./auth/jwks-cache";
import {
  type ActiveMembership,
  liveSession,
  type VerifiedSessions,
} from "./auth/verified-sessions";
import type { AuthLimitSettings } from "./auth-limits";
import type { InvoiceEvents } from "./events";
import type { FileLinkSettings } from "./files/file-links";
import type { HealthReport } from "./health/report";
import type { JobSignal } from "./jobs/job-signal";
import { jobTokenFailure } from "./jobs/job-token";
import type { QueueSettings } from "./jobs/queue-settings";
import { identifyService, type ServiceAuth, type ServiceCaller } from "./jobs/service-caller";
import type { ImapSettings } from "./mail/imap/imap-settings";
import type { ApiMetrics } from "./metrics/api-metrics";
import type { IsolationMonitor } from "./monitor/monitor";
import type { WebhookTargetPolicy } from "./net/webhook-target";
import type { Notifier } from "./notify/notify";
import type { TenantContextRecorder } from "./recorder";
import { bearerOf } from "./request/bearer";

/** Who is calling: a better-auth session (cookie or bearer), or a short-lived JWT. */
export type Caller =
  | {
      kind: "session";
      userId: string;
      sessionId: string;
      activeTenantId: string | null;
      /**
       * The membership of activeTenantId, read with the session in this request (null: none);
       * undefined when not read, and resolveTenant reads it.
       */
      activeMembership?: ActiveMembership | null;
    }
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
  /** Invoice and job events of every API process (LISTEN/NOTIFY), for live subscriptions. */
  events: InvoiceEvents;
  /** Signs the download links this server serves at /api/files. */
  fileLinks: FileLinkSettings;
  /** Records isolation violations, off the request path (docs/isolation.md). */
  monitor: IsolationMonitor;
  /** Prometheus metrics of this process (/metrics). */
  metrics: ApiMetrics;
  /** Tenant-context health across tenants over the last 5 minutes, cached for a few seconds. */
  tenantContextHealth: () => Promise<HealthReport>;
  /** Sign-in and sign-up attempts allowed per address and per account. */
  authLimits: AuthLimitSettings;
  /** The domain of inbound mail addresses (REMIT_MAIL_DOMAIN); null when e-mail in is off. */
  mailDomain: string | null;
  /** IMAP polling of tenants' mailboxes: the sealing key, the address policy, the bounds. */
  imap: ImapSettings;
  /** Credentials better-auth verified recently (the session row is still re-read every call). */
  verifiedSessions: VerifiedSessions;
  /** "A job may be claimable now", heard by every API process (wakes waiting job.claim calls). */
  jobSignal: JobSignal;
  /** The JWT verification keys, read once and re-read on rotation. */
  jwks: JwksCache;
  /** Tenant webhooks: the key sealing endpoint secrets, and where the server may POST. */
  webhooks: { secretKey: Buffer; policy: WebhookTargetPolicy };
  /** Mail to whoever can act next on an invoice; null when REMIT_NOTIFY_SMTP_URL is not set. */
  notifier: Notifier | null;
}

/** A credential the request presented that identified nobody, for the isolation monitor. */
export interface RejectedCredential {
  kind: Extract<IsolationViolationKind, "invalid_credential" | "invalid_job_token">;
  reason: string;
  /** The tenant a forged token claimed (unverified), if any. */
  claimedTenantId: string | null;
}

export interface Context {
  deps: ApiDeps;
  /** The request's headers, passed on to better-auth calls made for the caller. */
  headers: Headers;
  requestId: string;
  ip: string | null;
  /** A person (session or user token); null for anonymous and for machine callers. */
  caller: Caller | null;
  /** The OCR worker, one of its job attempts, or an operator; never set together with caller. */
  service: ServiceCaller | null;
  /** Set when a bearer was presented and identified nobody (forged, tampered, unknown). */
  rejectedCredential: RejectedCredential | null;
}

const jwtShape = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/**
 * Identifies the caller from the request alone: a session (cookie, or `Authorization: Bearer`
 * with a session token) through better-auth, else a JWT verified against the JWKS. Nothing the
 * caller says about its tenant is read here.
 */
export async function identify(deps: ApiDeps, headers: Headers): Promise<Caller | null> {
  return (await identifyOrReject(deps, headers)).caller;
}

/**
 * identify(), and why a presented bearer identified nobody. An expired JWT is a client that
 * did not refresh, not an attack, so it is not a rejection; a session token that matches no
 * session (tampered, made up, or signed out) is, and so is a JWT that fails its signature,
 * issuer or audience.
 */
export async function identifyOrReject(
  deps: ApiDeps,
  headers: Headers,
): Promise<{ caller: Caller | null; rejected: RejectedCredential | null }> {
  const session = await sessionOf(deps, headers);
  if (session) return { caller: session, rejected: null };
  const bearer = bearerOf(headers);
  if (!bearer) return { caller: null, rejected: null };
  const reject = (reason: string, claimedTenantId: string | null = null) => ({
    caller: null,
    rejected: { kind: "invalid_credential" as const, reason, claimedTenantId },
  });
  if (!jwtShape.test(bearer)) return reject("no session has this token");
  try {
    const payload = await deps.jwks.verify(bearer, {
      issuer: deps.baseURL,
      audience: deps.baseURL,
    });
    if (typeof payload.sub !== "string") return reject("token without a subject");
    const tenantId = typeof payload.tenant_id === "string" ? payload.tenant_id : null;
    return { caller: { kind: "token", userId: payload.sub, tenantId }, rejected: null };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { caller: null, rejected: null };
    return reject("token failed verification", claimedTenant(bearer));
  }
}

/**
 * The better-auth session the request's cookie or bearer names, if any. A credential verified
 * within the last few seconds is not verified again, but its session row is read on every call
 * (verified-sessions.ts): a revoked session fails here at once, and the active tenant is current.
 */
async function sessionOf(
  deps: ApiDeps,
  headers: Headers,
): Promise<Extract<Caller, { kind: "session" }> | null> {
  const key = deps.verifiedSessions.keyOf(headers);
  const known = key === null ? undefined : deps.verifiedSessions.get(key);
  if (key !== null && known) {
    const live = await liveSession(deps.db, known);
    if (live) {
      return {
        kind: "session",
        ...known,
        activeTenantId: live.activeTenantId,
        activeMembership: live.membership,
      };
    }
    // Gone (signed out, revoked, expired): better-auth decides afresh, and will say no.
    deps.verifiedSessions.forget(key);
  }
  // A failure here is a server fault (database down, a JWT key encrypted with another secret),
  // not an anonymous caller: let it surface as a 500 rather than a misleading 401.
  const session = await deps.auth.api.getSession({ headers });
  if (!session) return null;
  const verified = { userId: session.user.id, sessionId: session.session.id };
  if (key !== null) deps.verifiedSessions.remember(key, verified);
  const active = (session.session as { activeOrganizationId?: string | null }).activeOrganizationId;
  return { kind: "session", ...verified, activeTenantId: active ?? null };
}

/** The tenant_id a JWT claims, read without trusting it (to say whom a forgery aimed at). */
function claimedTenant(token: string): string | null {
  try {
    const claim = decodeJwt(token).tenant_id;
    return typeof claim === "string" ? claim.slice(0, 100) : null;
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
  const person = service === null ? await identifyOrReject(deps, request.headers) : null;
  let rejectedCredential = person?.rejected ?? null;
  if (service === "invalid") {
    const bearer = bearerOf(request.headers) ?? "";
    const failure = await jobTokenFailure(deps.service.jobTokenKey, deps.service.issuer, bearer);
    if (failure.reason === "forged") {
      rejectedCredential = {
        kind: "invalid_job_token",
        reason: "job token failed verification",
        claimedTenantId: failure.claimedTenantId,
      };
    }
  }
  return {
    deps,
    headers: request.headers,
    requestId: request.requestId ?? crypto.randomUUID(),
    ip: request.ip ?? null,
    caller: person?.caller ?? null,
    service: service === "invalid" ? null : service,
    rejectedCredential,
  };
}
