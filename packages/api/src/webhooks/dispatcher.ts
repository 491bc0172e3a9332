import { type Database, withTenant } from "@remit/db";
import { checkWebhookTarget, type WebhookTargetPolicy } from "../net/webhook-target";
import {
  type ClaimedDelivery,
  claimWebhookDeliveries,
  deliveryToSend,
  recordWebhookAttempt,
} from "../queries/webhook-dispatch";
import { webhookBody } from "./payload";
import { type PostOutcome, type PostTarget, postWebhook } from "./webhook-post";
import { openSecret, signWebhook } from "./webhook-secret";

/*
 * Delivers the outbox: claims due deliveries (leased, attempt counted), and for each one checks
 * the target again (DNS may have changed since registration), signs the event and POSTs it to
 * the address just checked, then records the outcome under the delivery's tenant. 2xx is
 * delivered; anything else is retried with exponential backoff and jitter until the retry budget
 * is spent, then dead. At least once: a crash between the POST and the record leaves the lease
 * to run out and the event is sent again, under the same event id (receivers de-duplicate).
 * Time comes from `now`, so tests move a clock instead of sleeping.
 */

export interface DispatcherSettings {
  /** Opens the endpoints' sealed secrets (webhook-secret.ts). */
  secretKey: Buffer;
  policy: WebhookTargetPolicy;
  /** Attempts per delivery (and per redelivery) before it is dead. */
  maxAttempts: number;
  /** Retry n waits half to all of base * 2^(n-1) seconds, capped at max. */
  backoff: { baseSeconds: number; maxSeconds: number };
  /** The longest one POST may take, connection included. */
  timeoutMs: number;
  /** Deliveries claimed per round trip. */
  batchSize: number;
  now?: () => Date;
  random?: () => number;
  /** The POST itself (tests may wrap it, e.g. to stop between sending and recording). */
  post?: typeof postWebhook;
}

export const defaultDispatcherSettings = {
  maxAttempts: 8,
  backoff: { baseSeconds: 30, maxSeconds: 6 * 3600 },
  timeoutMs: 10_000,
  batchSize: 10,
} as const;

export interface DrainReport {
  attempted: number;
  delivered: number;
  failed: number;
  dead: number;
}

/** The identity the dispatcher's tenant transactions run as (no member has this id). */
export const webhookActorId = "00000000-0000-4000-8000-00000000b00c";

/** Claim rounds per drain: a bound, so one drain never runs forever behind a flood. */
const maxRounds = 100;

export class WebhookDispatcher {
  private readonly now: () => Date;
  private readonly random: () => number;

  constructor(
    private readonly db: Database,
    private readonly settings: DispatcherSettings,
  ) {
    this.now = settings.now ?? (() => new Date());
    this.random = settings.random ?? Math.random;
  }

  /** Delay before retry `spent` (1 = after the first failed attempt), jittered. */
  retryDelayMs(spent: number): number {
    const { baseSeconds, maxSeconds } = this.settings.backoff;
    const full = Math.min(maxSeconds, baseSeconds * 2 ** Math.max(0, spent - 1)) * 1000;
    return Math.round(full * (0.5 + this.random() * 0.5));
  }

  /** Sends everything due now, batch after batch, until nothing is due or `signal` aborts. */
  async drain(signal?: AbortSignal): Promise<DrainReport> {
    const report: DrainReport = { attempted: 0, delivered: 0, failed: 0, dead: 0 };
    for (let round = 0; round < maxRounds && !signal?.aborted; round++) {
      const claimed = await claimWebhookDeliveries(this.db, {
        limit: this.settings.batchSize,
        // The lease outlasts the POST, so a slow receiver is not sent the event twice at once.
        leaseSeconds: Math.ceil(this.settings.timeoutMs / 1000) + 30,
        maxAttempts: this.settings.maxAttempts,
        now: this.now(),
      });
      if (claimed.length === 0) break;
      const outcomes = await Promise.all(claimed.map((c) => this.deliver(c)));
      for (const outcome of outcomes) {
        if (!outcome) continue;
        report.attempted++;
        report[outcome]++;
      }
    }
    return report;
  }

  private async deliver(claim: ClaimedDelivery): Promise<"delivered" | "failed" | "dead" | null> {
    const actor = { tenantId: claim.tenantId, userId: webhookActorId, role: "user" as const };
    const row = await withTenant(this.db, actor, (tx) => deliveryToSend(tx, claim.deliveryId));
    if (!row) return null;
    const outcome = await this.attempt(claim, row);
    const at = this.now();
    const spent = claim.attempt - row.attemptBase;
    const ok = outcome.kind === "answered" && outcome.statusCode >= 200 && outcome.statusCode < 300;
    const status = ok ? "delivered" : spent >= this.settings.maxAttempts ? "dead" : "failed";
    await withTenant(this.db, actor, (tx) =>
      recordWebhookAttempt(tx, {
        deliveryId: claim.deliveryId,
        attempt: claim.attempt,
        status,
        statusCode: outcome.kind === "answered" ? outcome.statusCode : null,
        error: ok ? null : errorSentence(outcome),
        nextAttemptAt:
          status === "failed" ? new Date(at.getTime() + this.retryDelayMs(spent)) : null,
        at,
      }),
    );
    return status;
  }

  private async attempt(
    claim: ClaimedDelivery,
    row: NonNullable<Awaited<ReturnType<typeof deliveryToSend>>>,
  ): Promise<PostOutcome> {
    const target = await checkWebhookTarget(row.url, this.settings.policy);
    if (!target.ok) return { kind: "failed", error: `not sent: ${target.reason}` };
    let secret: string;
    try {
      secret = openSecret(this.settings.secretKey, row.secretCiphertext, {
        tenantId: claim.tenantId,
        endpointId: row.endpointId,
      });
    } catch {
      return {
        kind: "failed",
        error: "not sent: the endpoint's secret cannot be read with this server's key; rotate it",
      };
    }
    const body = webhookBody(row.payload);
    const timestamp = Math.floor(this.now().getTime() / 1000);
    const pinned: PostTarget = { url: target.url, address: target.address, family: target.family };
    return (this.settings.post ?? postWebhook)(
      pinned,
      body,
      {
        "remit-webhook-id": row.eventId,
        "remit-webhook-timestamp": String(timestamp),
        "remit-webhook-signature": signWebhook(secret, timestamp, body),
        "remit-webhook-event": row.eventType,
        "remit-webhook-delivery": claim.deliveryId,
        "remit-webhook-attempt": String(claim.attempt),
      },
      { timeoutMs: this.settings.timeoutMs },
    );
  }
}

function errorSentence(outcome: PostOutcome): string {
  if (outcome.kind === "failed") return outcome.error;
  const redirect =
    outcome.statusCode >= 300 && outcome.statusCode < 400 ? " (redirects are not followed)" : "";
  const said = outcome.excerpt ? `: ${outcome.excerpt}` : "";
  return `the endpoint answered ${outcome.statusCode}${redirect}${said}`;
}
