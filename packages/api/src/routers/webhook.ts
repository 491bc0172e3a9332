import { webhookDeliveryStatuses, webhookEventTypes } from "@remit/db";
import { z } from "zod";
import { recordAudit } from "../audit";
import { BadRequestError, PreconditionError } from "../errors";
import { checkWebhookTarget } from "../net/webhook-target";
import {
  assertWebhookEndpoint,
  countWebhookEndpoints,
  deleteWebhookEndpoint,
  enqueuePing,
  insertWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  redeliverWebhook,
  updateWebhookEndpoint,
  webhookEndpoint,
} from "../queries/webhooks";
import { inTenantTransaction, type TenantScope } from "../request/steps";
import { canOnPlatform, router } from "../trpc";
import { newWebhookSecret, sealSecret, secretHint } from "../webhooks/webhook-secret";

/*
 * Tenant webhooks, for a tenant's admins (docs/webhooks.md): endpoints (the secret is shown at
 * creation and at rotation, never again), a test ping, the delivery log and a redelivery. A URL
 * is checked (https, public address) before the tenant transaction opens, so a slow DNS answer
 * holds no database connection; the dispatcher checks it again before every delivery.
 */

const admin = canOnPlatform("webhook:manage");
type AdminCtx = Parameters<Parameters<typeof admin.query>[0]>[0]["ctx"];

function inTransaction<T>(ctx: AdminCtx, work: (scope: TenantScope) => Promise<T>) {
  const { tenantId, userId, role } = ctx;
  return inTenantTransaction(ctx, { tenantId, userId, role }, work);
}

/** A tenant's endpoints: enough for every system it feeds, bounded against abuse. */
const maxEndpoints = 20;

const url = z.string().trim().min(1).max(2000);
const events = z
  .array(z.enum(webhookEventTypes))
  .min(1, "subscribe to at least one event")
  .transform((list) => [...new Set(list)]);
const description = z.string().trim().max(200);

async function allowedUrl(ctx: AdminCtx, raw: string): Promise<string> {
  const verdict = await checkWebhookTarget(raw, ctx.deps.webhooks.policy);
  if (!verdict.ok) throw new BadRequestError(verdict.reason);
  return verdict.url.href;
}

function audit(ctx: AdminCtx, scope: TenantScope, entry: Parameters<typeof recordAudit>[1]) {
  return recordAudit({ ...ctx, db: scope.db }, entry);
}

export const webhookRouter = router({
  /** The endpoints (never their secrets) and the events one may subscribe to. */
  list: admin.query(({ ctx }) =>
    inTransaction(ctx, async ({ db }) => ({
      endpoints: await listWebhookEndpoints(db),
      eventTypes: [...webhookEventTypes],
      allowHttp: ctx.deps.webhooks.policy.allowHttp,
    })),
  ),

  /** A new endpoint; the answer holds its signing secret, shown this once. */
  create: admin
    .input(
      z.object({
        url,
        events,
        description: description.default(""),
        enabled: z.boolean().default(true),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const checked = await allowedUrl(ctx, input.url);
      return inTransaction(ctx, async (scope) => {
        if ((await countWebhookEndpoints(scope.db)) >= maxEndpoints) {
          throw new PreconditionError(
            `a tenant may have at most ${maxEndpoints} webhook endpoints`,
          );
        }
        const id = crypto.randomUUID();
        const secret = newWebhookSecret();
        const endpoint = await insertWebhookEndpoint(scope.db, {
          tenantId: ctx.tenantId,
          id,
          url: checked,
          events: input.events,
          description: input.description,
          enabled: input.enabled,
          secretCiphertext: sealSecret(ctx.deps.webhooks.secretKey, secret, {
            tenantId: ctx.tenantId,
            endpointId: id,
          }),
          secretHint: secretHint(secret),
          createdBy: ctx.userId,
        });
        await audit(ctx, scope, {
          action: "webhook.endpoint.create",
          entityType: "webhook_endpoint",
          entityId: id,
          summary: { url: checked, events: input.events },
        });
        return { endpoint, secret };
      });
    }),

  update: admin
    .input(
      z.object({
        id: z.uuid(),
        data: z.object({
          url: url.optional(),
          events: events.optional(),
          description: description.optional(),
          enabled: z.boolean().optional(),
        }),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const checked =
        input.data.url === undefined ? undefined : await allowedUrl(ctx, input.data.url);
      return inTransaction(ctx, async (scope) => {
        const before = await webhookEndpoint(scope.db, input.id);
        const endpoint = await updateWebhookEndpoint(scope.db, input.id, {
          ...input.data,
          url: checked,
        });
        await audit(ctx, scope, {
          action: "webhook.endpoint.update",
          entityType: "webhook_endpoint",
          entityId: input.id,
          summary: {
            before: { url: before.url, events: before.events, enabled: before.enabled },
            after: { url: endpoint.url, events: endpoint.events, enabled: endpoint.enabled },
          },
        });
        return endpoint;
      });
    }),

  /** Deletes an endpoint and its delivery log; undelivered events to it are dropped. */
  delete: admin.input(z.object({ id: z.uuid() })).mutation(({ ctx, input }) =>
    inTransaction(ctx, async (scope) => {
      const before = await webhookEndpoint(scope.db, input.id);
      await deleteWebhookEndpoint(scope.db, input.id);
      await audit(ctx, scope, {
        action: "webhook.endpoint.delete",
        entityType: "webhook_endpoint",
        entityId: input.id,
        summary: { url: before.url },
      });
      return { id: input.id };
    }),
  ),

  /** A new signing secret, shown this once; the old one stops signing at once. */
  rotateSecret: admin.input(z.object({ id: z.uuid() })).mutation(({ ctx, input }) =>
    inTransaction(ctx, async (scope) => {
      const secret = newWebhookSecret();
      const endpoint = await updateWebhookEndpoint(scope.db, input.id, {
        secretCiphertext: sealSecret(ctx.deps.webhooks.secretKey, secret, {
          tenantId: ctx.tenantId,
          endpointId: input.id,
        }),
        secretHint: secretHint(secret),
      });
      await audit(ctx, scope, {
        action: "webhook.endpoint.rotate_secret",
        entityType: "webhook_endpoint",
        entityId: input.id,
      });
      return { endpoint, secret };
    }),
  ),

  /**
   * Queues a signed `webhook.ping` to the endpoint; its outcome shows in the delivery log. Like
   * every delivery to a disabled endpoint, it waits until the endpoint is enabled again.
   */
  test: admin.input(z.object({ id: z.uuid() })).mutation(({ ctx, input }) =>
    inTransaction(ctx, async (scope) => {
      await webhookEndpoint(scope.db, input.id);
      const queued = await enqueuePing(scope.db, { tenantId: ctx.tenantId, endpointId: input.id });
      await audit(ctx, scope, {
        action: "webhook.endpoint.test",
        entityType: "webhook_endpoint",
        entityId: input.id,
      });
      return queued;
    }),
  ),

  /** The delivery log, newest first; `cursor` is the previous page's nextCursor. */
  deliveries: admin
    .input(
      z.object({
        endpointId: z.uuid().optional(),
        status: z.enum(webhookDeliveryStatuses).optional(),
        limit: z.number().int().min(1).max(100).default(25),
        cursor: z.object({ createdAt: z.date(), id: z.uuid() }).optional(),
      }),
    )
    .query(({ ctx, input }) =>
      inTransaction(ctx, async ({ db }) => {
        if (input.endpointId) await assertWebhookEndpoint(db, input.endpointId);
        return listWebhookDeliveries(db, input);
      }),
    ),

  /** Sends a delivery again now, with a fresh retry budget (whatever its status). */
  redeliver: admin.input(z.object({ deliveryId: z.uuid() })).mutation(({ ctx, input }) =>
    inTransaction(ctx, async (scope) => {
      const row = await redeliverWebhook(scope.db, input.deliveryId);
      await audit(ctx, scope, {
        action: "webhook.delivery.redeliver",
        entityType: "webhook_delivery",
        entityId: input.deliveryId,
        summary: { endpointId: row.endpointId },
      });
      return { deliveryId: row.id };
    }),
  ),
});
