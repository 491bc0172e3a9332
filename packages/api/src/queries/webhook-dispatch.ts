import {
  asAppRole,
  type Database,
  queryRows,
  type TenantDb,
  type WebhookDeliveryStatus,
  webhookDeliveries,
  webhookEndpoints,
  webhookEvents,
} from "@remit/db";
import { and, eq, inArray, sql } from "drizzle-orm";

/*
 * The dispatcher's side of the outbox. The claim is the one step taken before any tenant is
 * known (claim_webhook_deliveries, drizzle/0014, as remit_app); reading what to send and
 * recording what happened run under withTenant for the delivery's tenant, under RLS like any
 * request. Every record is fenced by the attempt number the claim returned.
 */

export interface ClaimedDelivery {
  tenantId: string;
  deliveryId: string;
  attempt: number;
}

export async function claimWebhookDeliveries(
  db: Database,
  input: { limit: number; leaseSeconds: number; maxAttempts: number; now: Date },
): Promise<ClaimedDelivery[]> {
  const rows = await asAppRole(db, (tx) =>
    queryRows<{ tenant_id: string; delivery_id: string; attempt: number }>(
      tx,
      sql`select * from public.claim_webhook_deliveries(${input.limit}::int,
            ${input.leaseSeconds}::int, ${input.maxAttempts}::int, ${input.now.toISOString()}::timestamptz)`,
    ),
  );
  return rows.map((r) => ({
    tenantId: r.tenant_id,
    deliveryId: r.delivery_id,
    attempt: Number(r.attempt),
  }));
}

/** What to send for a claimed delivery; null when it is gone (endpoint deleted meanwhile). */
export async function deliveryToSend(db: TenantDb, deliveryId: string) {
  const [row] = await db
    .select({
      id: webhookDeliveries.id,
      attemptBase: webhookDeliveries.attemptBase,
      endpointId: webhookEndpoints.id,
      url: webhookEndpoints.url,
      secretCiphertext: webhookEndpoints.secretCiphertext,
      eventId: webhookEvents.id,
      eventType: webhookEvents.type,
      payload: webhookEvents.payload,
    })
    .from(webhookDeliveries)
    .innerJoin(
      webhookEvents,
      and(
        eq(webhookEvents.tenantId, webhookDeliveries.tenantId),
        eq(webhookEvents.id, webhookDeliveries.eventId),
      ),
    )
    .innerJoin(
      webhookEndpoints,
      and(
        eq(webhookEndpoints.tenantId, webhookDeliveries.tenantId),
        eq(webhookEndpoints.id, webhookDeliveries.endpointId),
      ),
    )
    .where(eq(webhookDeliveries.id, deliveryId));
  return row ?? null;
}

export interface AttemptRecord {
  deliveryId: string;
  attempt: number;
  status: Exclude<WebhookDeliveryStatus, "pending">;
  statusCode: number | null;
  error: string | null;
  nextAttemptAt: Date | null;
  at: Date;
}

/** Records an attempt's outcome; false when the claim no longer holds (a later attempt won). */
export async function recordWebhookAttempt(db: TenantDb, record: AttemptRecord): Promise<boolean> {
  const rows = await db
    .update(webhookDeliveries)
    .set({
      status: record.status,
      lastStatusCode: record.statusCode,
      lastError: record.error?.slice(0, 300) ?? null,
      deliveredAt: record.status === "delivered" ? record.at : undefined,
      ...(record.nextAttemptAt ? { nextAttemptAt: record.nextAttemptAt } : {}),
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(webhookDeliveries.id, record.deliveryId),
        eq(webhookDeliveries.attempts, record.attempt),
        inArray(webhookDeliveries.status, ["pending", "failed"]),
      ),
    )
    .returning({ id: webhookDeliveries.id });
  return rows.length > 0;
}
