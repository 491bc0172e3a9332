import { createHmac } from "node:crypto";
import type { Violation } from "./violation";

/** VIOLATION_WEBHOOK_*: where to alert, how to sign, and from how many violations a minute. */
export interface WebhookSettings {
  url: string;
  secret: string;
  /** An alert goes out once this many violations were seen in the last 60 s. */
  thresholdPerMinute: number;
  /** Attempts per alert (the first plus retries), with exponential backoff between them. */
  attempts?: number;
  retryBaseMs?: number;
  fetch?: typeof fetch;
}

const windowMs = 60_000;

/** The signature header's value: `sha256=` + hex HMAC-SHA256 of the exact body with the secret. */
export function signWebhookBody(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/**
 * Counts violations over a sliding minute and, when the count reaches the threshold, POSTs one
 * signed JSON summary. At most one alert starts per minute, whatever the rate, so a flood of
 * probes is one page to an operator, not thousands. Delivery is retried with exponential
 * backoff and never awaited by anything on a request's path; a receiver that stays down loses
 * that alert (counted in `failed`), and the next minute's alert says how many there were.
 */
export class ViolationAlerter {
  private seen: Array<{ at: number; violation: Violation }> = [];
  private lastAlertAt = Number.NEGATIVE_INFINITY;
  private inFlight: Promise<void> = Promise.resolve();
  sent = 0;
  failed = 0;

  constructor(
    private readonly settings: WebhookSettings,
    private readonly now: () => number = Date.now,
  ) {}

  observe(violation: Violation): void {
    const at = this.now();
    this.seen.push({ at, violation });
    while (this.seen.length > 0 && (this.seen[0]?.at ?? at) <= at - windowMs) this.seen.shift();
    if (this.seen.length < this.settings.thresholdPerMinute) return;
    if (at - this.lastAlertAt < windowMs) return;
    this.lastAlertAt = at;
    const body = JSON.stringify(this.summary(at));
    this.inFlight = this.inFlight.then(() => this.deliver(body));
  }

  /** Resolves once every alert started so far has been delivered or given up (tests, shutdown). */
  idle(): Promise<void> {
    return this.inFlight;
  }

  private summary(at: number) {
    const byKind: Record<string, number> = {};
    for (const { violation } of this.seen)
      byKind[violation.kind] = (byKind[violation.kind] ?? 0) + 1;
    return {
      event: "isolation.violations",
      at: new Date(at).toISOString(),
      windowSeconds: windowMs / 1000,
      threshold: this.settings.thresholdPerMinute,
      count: this.seen.length,
      byKind,
      sample: this.seen.slice(-10).map(({ at: seenAt, violation }) => ({
        at: new Date(seenAt).toISOString(),
        kind: violation.kind,
        procedure: violation.procedure,
        actorType: violation.actorType,
        actorId: violation.actorId,
        callerTenantId: violation.callerTenantId,
        targetTenantId: violation.targetTenantId,
        requestId: violation.requestId,
      })),
    };
  }

  private async deliver(body: string): Promise<void> {
    const attempts = this.settings.attempts ?? 4;
    const base = this.settings.retryBaseMs ?? 500;
    const post = this.settings.fetch ?? fetch;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0)
        await new Promise((resolve) => setTimeout(resolve, base * 2 ** (attempt - 1)));
      const ok = await post(this.settings.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-remit-signature": signWebhookBody(this.settings.secret, body),
          "x-remit-event": "isolation.violations",
        },
        body,
        signal: AbortSignal.timeout(5_000),
      })
        .then((response) => response.ok)
        .catch(() => false);
      if (ok) {
        this.sent++;
        return;
      }
    }
    this.failed++;
  }
}
