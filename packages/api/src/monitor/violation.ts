import type { IsolationViolationKind, MemberRole } from "@remit/db";

/** One isolation violation, as the monitor records it (see docs/isolation.md for each kind). */
export interface Violation {
  kind: IsolationViolationKind;
  actorType: "user" | "service" | "anonymous";
  actorId: string | null;
  /** The tenant the caller acted in, if one was resolved. */
  callerTenantId: string | null;
  /** The tenant the request named (a token's claim, a link's tenant), if any. */
  targetTenantId: string | null;
  /** The tRPC path, or the HTTP route for the upload/download/preview handlers. */
  procedure: string;
  /** What was reached for: `table:id`, a storage key, a job id. */
  target: string | null;
  requestId: string | null;
  ip: string | null;
  detail?: Record<string, unknown>;
}

/** Who made a request, as far as it is known when a violation is seen. */
export type ViolationActor = Pick<
  Violation,
  "actorType" | "actorId" | "callerTenantId" | "requestId" | "ip"
>;

/** A NOT_FOUND to look into after the fact: do these ids exist in another tenant? */
export interface Probe {
  /** The caller's tenant transaction to ask from; null asks with no tenant bound. */
  tenant: { tenantId: string; userId: string; role: MemberRole } | null;
  ids: Array<{ table: ProbeTable; id: string }>;
  actor: ViolationActor;
  procedure: string;
}

/** The tables id_exists_in_other_tenant() (drizzle/0005, mail tables since 0013, webhooks since 0014) accepts. */
export const probeTables = [
  "invoices",
  "suppliers",
  "invoice_comments",
  "documents",
  "ocr_jobs",
  "members",
  "tenants",
  "mail_addresses",
  "mail_imap_mailboxes",
  "webhook_endpoints",
  "webhook_deliveries",
] as const;
export type ProbeTable = (typeof probeTables)[number];
