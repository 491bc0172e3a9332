import { EventEmitter } from "node:events";
import type { Notifications } from "@remit/db";
import { z } from "zod";

/**
 * What the SPA hears about: an invoice changed, or its OCR job moved on. Ids and states only:
 * the browser re-reads whatever it shows through the API, under its own session.
 */
export interface InvoiceEvent {
  invoiceId: string;
  kind: "invoice.created" | "invoice.updated" | "job.progress" | "job.succeeded" | "job.failed";
  /** The job's status or the invoice's, whichever the event is about. */
  status: string;
  progress?: number;
  at: Date;
}

/** Events may have been missed (the server lost its listening connection): re-read everything. */
export interface ResyncEvent {
  kind: "resync";
  at: Date;
}

export type LiveEvent = InvoiceEvent | ResyncEvent;

/**
 * The tenant's live events. The tenant is the channel, so a subscriber can only ever be handed
 * its own tenant's events. Publishers call publish() after the commit that caused the event,
 * never inside the transaction, so no event announces a change that was rolled back; publish()
 * never throws (an event that cannot be sent is reported and dropped: events are hints to
 * re-read, the data is in the database).
 */
export interface InvoiceEvents {
  publish(tenantId: string, event: Omit<InvoiceEvent, "at">): Promise<void>;
  subscribe(tenantId: string, signal?: AbortSignal): AsyncGenerator<LiveEvent>;
  /** Subscriptions of this process to a tenant that are listening (tests wait on it). */
  listenerCount(tenantId: string): number;
}

/** A subscriber that falls this far behind is told to re-read instead of being sent the rest. */
const maxQueued = 1000;
/** pg_notify statements per round trip. */
const maxBatch = 100;

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A tenant's channel: its id without dashes, so the name is a plain identifier. */
export function tenantChannel(tenantId: string): string {
  if (!uuid.test(tenantId)) throw new Error("a tenant id is a UUID");
  return `remit_tenant_${tenantId.replaceAll("-", "")}`;
}

const payloadSchema = z.object({
  invoiceId: z.string().regex(uuid),
  kind: z.enum([
    "invoice.created",
    "invoice.updated",
    "job.progress",
    "job.succeeded",
    "job.failed",
  ]),
  status: z.string().max(40),
  progress: z.number().min(0).max(100).optional(),
  at: z.number(),
});

/** The NOTIFY payload: the event's fields as they are, nothing else. */
function encode(event: Omit<InvoiceEvent, "at">): string {
  const { invoiceId, kind, status, progress } = event;
  return JSON.stringify({ invoiceId, kind, status, progress, at: Date.now() });
}

function decode(payload: string): InvoiceEvent | null {
  try {
    const parsed = payloadSchema.safeParse(JSON.parse(payload));
    if (!parsed.success) return null;
    const { at, progress, ...rest } = parsed.data;
    return { ...rest, ...(progress === undefined ? {} : { progress }), at: new Date(at) };
  } catch {
    return null;
  }
}

/**
 * A subscriber's own queue between the listener (which must never block) and the stream that
 * writes to the browser. Past maxQueued it keeps one resync instead of the backlog.
 */
async function* drain(
  signal: AbortSignal | undefined,
  attach: (push: (event: LiveEvent) => void) => Promise<() => Promise<void>>,
): AsyncGenerator<LiveEvent> {
  let queue: LiveEvent[] = [];
  let wake: (() => void) | null = null;
  const push = (event: LiveEvent) => {
    if (queue.length >= maxQueued) queue = [{ kind: "resync", at: new Date() }];
    else queue.push(event);
    wake?.();
  };
  const onAbort = () => wake?.();
  signal?.addEventListener("abort", onAbort, { once: true });
  const detach = await attach(push);
  try {
    while (!signal?.aborted) {
      if (queue.length === 0) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
        continue;
      }
      const batch = queue;
      queue = [];
      for (const event of batch) yield event;
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    await detach();
  }
}

/**
 * Through PostgreSQL LISTEN/NOTIFY: every API process hears every other's events, each process
 * listening only on the channels of tenants it has subscribers for. Publishes are queued and
 * sent in batches by one statement at a time, so a process's events keep their order. When the
 * listening connection is lost and comes back, subscribers get a resync event. On the embedded
 * PGlite this is the same code on PGlite's own NOTIFY (one process, nothing to lose).
 */
export class NotifiedInvoiceEvents implements InvoiceEvents {
  private pending: Array<{ channel: string; payload: string; sent: () => void }> = [];
  private flushing = false;

  constructor(
    private readonly notifications: Notifications,
    private readonly onError: (error: unknown, dropped: number) => void = () => {},
  ) {}

  publish(tenantId: string, event: Omit<InvoiceEvent, "at">): Promise<void> {
    const channel = tenantChannel(tenantId);
    return new Promise((sent) => {
      this.pending.push({ channel, payload: encode(event), sent });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, maxBatch);
        try {
          await this.notifications.notify(batch);
        } catch (error) {
          this.onError(error, batch.length);
        }
        for (const item of batch) item.sent();
      }
    } finally {
      this.flushing = false;
    }
  }

  private readonly listening = new Map<string, number>();

  subscribe(tenantId: string, signal?: AbortSignal): AsyncGenerator<LiveEvent> {
    const channel = tenantChannel(tenantId);
    return drain(signal, async (push) => {
      const unlisten = await this.notifications.listen(channel, {
        onPayload: (payload) => {
          const event = decode(payload);
          if (event) push(event);
        },
        onResume: () => push({ kind: "resync", at: new Date() }),
      });
      // Counted once LISTEN is in place: from here on, an event published reaches this one.
      this.listening.set(channel, (this.listening.get(channel) ?? 0) + 1);
      return async () => {
        this.listening.set(channel, (this.listening.get(channel) ?? 1) - 1);
        await unlisten();
      };
    });
  }

  listenerCount(tenantId: string): number {
    return this.listening.get(tenantChannel(tenantId)) ?? 0;
  }
}

/** In this process only: for deps made without the database's notifications (some tests). */
export class LocalInvoiceEvents implements InvoiceEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per open subscription; there is no leak to warn about.
    this.emitter.setMaxListeners(0);
  }

  async publish(tenantId: string, event: Omit<InvoiceEvent, "at">): Promise<void> {
    this.emitter.emit(tenantChannel(tenantId), { ...event, at: new Date() });
  }

  subscribe(tenantId: string, signal?: AbortSignal): AsyncGenerator<LiveEvent> {
    const channel = tenantChannel(tenantId);
    return drain(signal, async (push) => {
      this.emitter.on(channel, push);
      return async () => {
        this.emitter.off(channel, push);
      };
    });
  }

  listenerCount(tenantId: string): number {
    return this.emitter.listenerCount(tenantChannel(tenantId));
  }
}
