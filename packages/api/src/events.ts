import { EventEmitter, on } from "node:events";

/** What the SPA hears about: an invoice changed, or its OCR job moved on. */
export interface InvoiceEvent {
  invoiceId: string;
  kind: "invoice.created" | "invoice.updated" | "job.progress" | "job.succeeded" | "job.failed";
  /** The job's status or the invoice's, whichever the event is about. */
  status: string;
  progress?: number;
  message?: string;
  at: Date;
}

/**
 * An in-process bus keyed by tenant: a subscriber can only ever be handed its own tenant's
 * events, because the tenant is the channel. Events are published after the commit that caused
 * them. One process only: with several API servers, publish through PostgreSQL LISTEN/NOTIFY
 * behind this same interface (docs/api.md).
 */
export class InvoiceEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per open subscription; there is no leak to warn about.
    this.emitter.setMaxListeners(0);
  }

  publish(tenantId: string, event: Omit<InvoiceEvent, "at">): void {
    this.emitter.emit(tenantId, { ...event, at: new Date() } satisfies InvoiceEvent);
  }

  async *subscribe(tenantId: string, signal?: AbortSignal): AsyncGenerator<InvoiceEvent> {
    try {
      for await (const [event] of on(this.emitter, tenantId, { signal })) {
        yield event as InvoiceEvent;
      }
    } catch (error) {
      if ((error as { name?: string }).name !== "AbortError") throw error;
    }
  }

  listenerCount(tenantId: string): number {
    return this.emitter.listenerCount(tenantId);
  }
}
