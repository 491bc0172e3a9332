import { sql } from "drizzle-orm";
import { index, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAt } from "./columns";

/** What the isolation monitor saw; see docs/isolation.md for each kind. */
export const isolationViolationKinds = [
  "rls_denied",
  "cross_tenant_id",
  "tenant_claim_mismatch",
  "forged_tenant_input",
  "forged_tenant_header",
  "invalid_credential",
  "invalid_job_token",
  "job_token_mismatch",
  "invalid_file_link",
  "file_link_mismatch",
] as const;
export type IsolationViolationKind = (typeof isolationViolationKinds)[number];

/**
 * Every isolation violation, for platform operators: a platform table (it deliberately has no
 * `tenant_id` column), so remit_app is granted nothing on it and can only append through the
 * allowlisted record_isolation_violation(jsonb) (drizzle/0005). A violation whose tenant is
 * known also lands as an `isolation.violation` row in that tenant's audit_log.
 */
export const isolationViolations = pgTable(
  "isolation_violations",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    kind: text("kind").notNull(),
    actorType: text("actor_type").notNull(),
    actorId: uuid("actor_id"),
    /** The tenant the caller acted in, if one was resolved. */
    callerTenantId: uuid("caller_tenant_id"),
    /** The tenant the request named or reached for, if it names one that exists. */
    targetTenantId: uuid("target_tenant_id"),
    /** The tenant whose audit_log got the row, if any. */
    auditTenantId: uuid("audit_tenant_id"),
    procedure: text("procedure").notNull(),
    target: text("target"),
    requestId: text("request_id"),
    ip: text("ip"),
    detail: jsonb("detail").notNull().default(sql`'{}'::jsonb`),
    createdAt: createdAt(),
  },
  (t) => [index("isolation_violations_created_at_idx").on(t.createdAt.desc())],
);
