import { asAppRole, type Database, queryRows, type Transaction, withTenant } from "@remit/db";
import { sql } from "drizzle-orm";
import type { ViolationAlerter } from "./alerter";
import type { Probe, Violation } from "./violation";

export interface MonitorOptions {
  flushEveryMs?: number;
  maxBatch?: number;
  /** Probes waiting beyond this are dropped (and counted): an id-guessing flood stays bounded. */
  maxPendingProbes?: number;
  alerter?: ViolationAlerter;
  /** Sees each violation as it is recorded (the /metrics counter). */
  onViolation?: (kind: Violation["kind"]) => void;
}

/**
 * The isolation monitor's write side. Nothing it does is on a request's path: record() and
 * probe() only push onto arrays, and a timer (or a full batch) does the work:
 *
 * - probes first: for each NOT_FOUND worth a look, ask id_exists_in_other_tenant() (drizzle/0005)
 *   inside the caller's own tenant transaction, as remit_app. It answers a boolean; a `true`
 *   becomes a cross_tenant_id violation. The caller got its NOT_FOUND long before, in the same
 *   time as for an id that never existed;
 * - then violations, in one statement through the allowlisted record_isolation_violation(jsonb).
 *
 * A failed write drops the batch and counts it: monitoring never takes a request down.
 */
export class IsolationMonitor {
  private violations: Violation[] = [];
  private probes: Probe[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<number> | undefined;
  recorded = 0;
  dropped = 0;
  droppedProbes = 0;

  constructor(
    private readonly db: Database,
    private readonly options: MonitorOptions = {},
  ) {}

  get alerter(): ViolationAlerter | undefined {
    return this.options.alerter;
  }

  record(violation: Violation): void {
    this.violations.push(violation);
    this.options.alerter?.observe(violation);
    this.options.onViolation?.(violation.kind);
    this.schedule(this.violations.length >= (this.options.maxBatch ?? 500));
  }

  probe(probe: Probe): void {
    if (probe.ids.length === 0) return;
    if (this.probes.length >= (this.options.maxPendingProbes ?? 1000)) {
      this.droppedProbes++;
      return;
    }
    this.probes.push(probe);
    this.schedule(false);
  }

  private schedule(now: boolean): void {
    if (now) {
      void this.flush();
      return;
    }
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.options.flushEveryMs ?? 1000);
      this.timer.unref();
    }
  }

  /** Runs pending probes and writes what is buffered; resolves with the number written. */
  async flush(): Promise<number> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    // One flush at a time: a second caller waits for the first, then flushes what is left.
    while (this.flushing) await this.flushing;
    this.flushing = this.flushOnce();
    try {
      return await this.flushing;
    } finally {
      this.flushing = undefined;
    }
  }

  private async flushOnce(): Promise<number> {
    const probes = this.probes;
    this.probes = [];
    for (const probe of probes) {
      const hits = await this.lookUp(probe).catch(() => {
        this.droppedProbes++;
        return [];
      });
      for (const hit of hits) {
        this.record({
          kind: "cross_tenant_id",
          ...probe.actor,
          // A tenant id the caller named is the target itself; other tables' tenants stay unknown.
          targetTenantId: hit.table === "tenants" ? hit.id : null,
          procedure: probe.procedure,
          target: `${hit.table}:${hit.id}`,
          detail: { answered: "NOT_FOUND" },
        });
      }
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.violations;
    this.violations = [];
    if (batch.length === 0) return 0;
    try {
      const written = await asAppRole(this.db, async (tx) => {
        const [row] = await queryRows<{ n: number }>(
          tx,
          sql`select public.record_isolation_violation(${JSON.stringify(batch)}::jsonb) as n`,
        );
        return Number(row?.n ?? 0);
      });
      this.recorded += written;
      return written;
    } catch {
      this.dropped += batch.length;
      return 0;
    }
  }

  /** The probe's ids that exist in a tenant other than the caller's. */
  private async lookUp(probe: Probe): Promise<Probe["ids"]> {
    const ask = async (tx: Transaction) => {
      const hits: Probe["ids"] = [];
      for (const target of probe.ids) {
        const [row] = await queryRows<{ hit: boolean }>(
          tx,
          sql`select public.id_exists_in_other_tenant(${target.table}, ${target.id}::uuid) as hit`,
        );
        if (row?.hit) hits.push(target);
      }
      return hits;
    };
    if (probe.tenant) return withTenant(this.db, probe.tenant, ask);
    return asAppRole(this.db, async (tx) => {
      return ask(tx);
    });
  }
}
