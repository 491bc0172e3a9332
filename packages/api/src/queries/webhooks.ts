import {
  type TenantDb,
  type WebhookDeliveryStatus,
  webhookDeliveries,
  webhookEndpoints,
  webhookEvents,
} from "@remit/db";
import { and, count, desc, eq, lt, or, sql } from "drizzle-orm";
import { NotFoundError } from "../errors";

/*
 * Tenant webhooks: endpoints, the delivery log, a ping and a redelivery. Every function takes
 * the RLS-bound db of a withTenant transaction; another tenant's rows are simply not there, so
 * naming one is NOT_FOUND like an id that never existed.
 */

/** The channel the outbox trigger (drizzle/0014) notifies at commit: "deliveries are due". */
export const webhookChannel = "remit_webhooks";

const endpointColumns = {
  id: webhookEndpoints.id,
  url: webhookEndpoints.url,
  events: webhookEndpoints.events,
  description: webhookEndpoints.description,
  enabled: webhookEndpoints.enabled,
  secretHint: webhookEndpoints.secretHint,
  createdAt: webhookEndpoints.createdAt,
  updatedAt: webhookEndpoints.updatedAt,
};

export async function listWebhookEndpoints(db: TenantDb) {
  return db
    .select(endpointColumns)
    .from(webhookEndpoints)
    .orderBy(webhookEndpoints.createdAt, webhookEndpoints.id);
}

export async function countWebhookEndpoints(db: TenantDb): Promise<number> {
  const [row] = await db.select({ n: count() }).from(webhookEndpoints);
  return row?.n ?? 0;
}

export async function webhookEndpoint(db: TenantDb, id: string) {
  const [row] = await db
    .select(endpointColumns)
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.id, id));
  if (!row) throw new NotFoundError("webhook endpoint");
  return row;
}

export async function insertWebhookEndpoint(
  db: TenantDb,
  row: {
    tenantId: string;
    id: string;
    url: string;
    events: string[];
    description: string;
    enabled: boolean;
    secretCiphertext: string;
    secretHint: string;
    createdBy: string;
  },
) {
  const [created] = await db.insert(webhookEndpoints).values(row).returning(endpointColumns);
  if (!created) throw new Error("webhook endpoint insert returned no row");
  return created;
}

export async function updateWebhookEndpoint(
  db: TenantDb,
  id: string,
  changes: Partial<{
    url: string;
    events: string[];
    description: string;
    enabled: boolean;
    secretCiphertext: string;
    secretHint: string;
  }>,
) {
  const [row] = await db
    .update(webhookEndpoints)
    .set({ ...changes, updatedAt: new Date() })
    .where(eq(webhookEndpoints.id, id))
    .returning(endpointColumns);
  if (!row) throw new NotFoundError("webhook endpoint");
  return row;
}

export async function deleteWebhookEndpoint(db: TenantDb, id: string): Promise<void> {
  const rows = await db
    .delete(webhookEndpoints)
    .where(eq(webhookEndpoints.id, id))
    .returning({ id: webhookEndpoints.id });
  if (rows.length === 0) throw new NotFoundError("webhook endpoint");
}

/**
 * A `webhook.ping` event for one endpoint, delivered like any other (signed, retried, logged).
 * The NOTIFY is sent at commit, like the trigger's.
 */
export async function enqueuePing(
  db: TenantDb,
  input: { tenantId: string; endpointId: string },
): Promise<{ eventId: string; deliveryId: string }> {
  const eventId = crypto.randomUUID();
  const payload = {
    id: eventId,
    type: "webhook.ping",
    occurredAt: new Date().toISOString(),
    tenantId: input.tenantId,
    data: { endpointId: input.endpointId },
  };
  await db
    .insert(webhookEvents)
    .values({ tenantId: input.tenantId, id: eventId, type: "webhook.ping", payload });
  const [delivery] = await db
    .insert(webhookDeliveries)
    .values({ tenantId: input.tenantId, eventId, endpointId: input.endpointId })
    .returning({ id: webhookDeliveries.id });
  if (!delivery) throw new Error("webhook delivery insert returned no row");
  await db.execute(sql`select pg_notify(${webhookChannel}, '')`);
  return { eventId, deliveryId: delivery.id };
}

export interface DeliveryCursor {
  createdAt: Date;
  id: string;
}

/** The delivery log, newest first, one page at a time. */
export async function listWebhookDeliveries(
  db: TenantDb,
  input: {
    endpointId?: string;
    status?: WebhookDeliveryStatus;
    limit: number;
    cursor?: DeliveryCursor;
  },
) {
  const d = webhookDeliveries;
  const rows = await db
    .select({
      id: d.id,
      endpointId: d.endpointId,
      endpointUrl: webhookEndpoints.url,
      eventId: d.eventId,
      eventType: webhookEvents.type,
      invoiceId: webhookEvents.invoiceId,
      occurredAt: webhookEvents.occurredAt,
      status: d.status,
      attempts: d.attempts,
      nextAttemptAt: d.nextAttemptAt,
      lastAttemptAt: d.lastAttemptAt,
      lastStatusCode: d.lastStatusCode,
      lastError: d.lastError,
      deliveredAt: d.deliveredAt,
      createdAt: d.createdAt,
    })
    .from(d)
    .innerJoin(
      webhookEvents,
      and(eq(webhookEvents.tenantId, d.tenantId), eq(webhookEvents.id, d.eventId)),
    )
    .innerJoin(
      webhookEndpoints,
      and(eq(webhookEndpoints.tenantId, d.tenantId), eq(webhookEndpoints.id, d.endpointId)),
    )
    .where(
      and(
        input.endpointId ? eq(d.endpointId, input.endpointId) : undefined,
        input.status ? eq(d.status, input.status) : undefined,
        input.cursor
          ? or(
              lt(d.createdAt, input.cursor.createdAt),
              and(eq(d.createdAt, input.cursor.createdAt), lt(d.id, input.cursor.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(d.createdAt), desc(d.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({
      ...row,
      // Only a delivery still to be tried has a next attempt worth showing.
      nextAttemptAt: row.status === "pending" || row.status === "failed" ? row.nextAttemptAt : null,
    })),
    nextCursor:
      rows.length > input.limit && last ? { createdAt: last.createdAt, id: last.id } : null,
  };
}

/** NOT_FOUND when the endpoint is not this tenant's (a filter naming another's is a probe). */
export async function assertWebhookEndpoint(db: TenantDb, id: string): Promise<void> {
  await webhookEndpoint(db, id);
}

/**
 * Sends a delivery again, now: whatever its status, it is due at once with a fresh retry budget
 * (counted from the attempts made so far, which only ever grow and fence in-flight attempts).
 */
export async function redeliverWebhook(db: TenantDb, deliveryId: string) {
  const [row] = await db
    .update(webhookDeliveries)
    .set({
      status: "pending",
      attemptBase: sql`${webhookDeliveries.attempts}`,
      nextAttemptAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(eq(webhookDeliveries.id, deliveryId))
    .returning({ id: webhookDeliveries.id, endpointId: webhookDeliveries.endpointId });
  if (!row) throw new NotFoundError("webhook delivery");
  await db.execute(sql`select pg_notify(${webhookChannel}, '')`);
  return row;
}
