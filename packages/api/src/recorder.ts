import { asAppRole, type Database, queryRows, type TenantContextOutcome } from "@remit/db";
import { sql } from "drizzle-orm";

export interface TenantContextEvent {
  tenantId: string | null;
  userId: string | null;
  outcome: TenantContextOutcome;
  reason: string | null;
}

/**
 * Records tenant-context outcomes without putting a write on every request's path: record() only
 * pushes onto an array; a timer (or a full batch) writes them in one statement through the
 * allowlisted record_tenant_context_events() (drizzle/0003), as remit_app. If the write fails
 * the batch is dropped and counted: health metrics must never take a request down.
 */
export class TenantContextRecorder {
  private buffer: Array<TenantContextEvent & { at: string }> = [];
  private timer: NodeJS.Timeout | undefined;
  dropped = 0;

  constructor(
    private readonly db: Database,
    private readonly options: {
      flushEveryMs?: number;
      maxBatch?: number;
      /** Sees each outcome as it is recorded (the /metrics counter). */
      onRecord?: (outcome: TenantContextOutcome) => void;
    } = {},
  ) {}

  record(event: TenantContextEvent): void {
    this.options.onRecord?.(event.outcome);
    this.buffer.push({ ...event, at: new Date().toISOString() });
    if (this.buffer.length >= (this.options.maxBatch ?? 500)) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.options.flushEveryMs ?? 1000);
      this.timer.unref();
    }
  }

  /** Writes what is buffered; resolves when it is written (or dropped). */
  async flush(): Promise<number> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.buffer;
    this.buffer = [];
    if (batch.length === 0) return 0;
    try {
      return await asAppRole(this.db, async (tx) => {
        const [row] = await queryRows<{ n: number }>(
          tx,
          sql`select public.record_tenant_context_events(${JSON.stringify(batch)}::jsonb) as n`,
        );
        return row?.n ?? 0;
      });
    } catch {
      this.dropped += batch.length;
      return 0;
    }
  }
}
