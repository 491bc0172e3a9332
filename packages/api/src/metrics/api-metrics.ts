import type { FailedJobStatus, IsolationViolationKind, TenantContextOutcome } from "@remit/db";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { HealthReport } from "../health/report";

/** What the gauges read on a scrape (each cached by its provider for a few seconds). */
export interface MetricSources {
  queueDepth: () => Promise<{ queued: number; running: number; dead: number }>;
  tenantContextHealth: () => Promise<HealthReport>;
}

/** A gauge whose source failed (the database is down) is left out of the scrape, not failed. */
const orNull = <T>(read: Promise<T>): Promise<T | null> => read.catch(() => null);

const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The server's Prometheus metrics. Label values come from fixed sets only — a tRPC path from the
 * router, a route pattern, an outcome, a violation kind, a job status — never a tenant id, a
 * user id, an email or a raw URL: a label value is kept for the life of the process and shown
 * to whoever can scrape, so an id there would both leak and grow without bound.
 */
export class ApiMetrics {
  readonly registry = new Registry();
  private readonly procedure = new Histogram({
    name: "remit_trpc_request_duration_seconds",
    help: "tRPC procedure calls by path and result code",
    labelNames: ["path", "code"] as const,
    buckets: latencyBuckets,
    registers: [this.registry],
  });
  private readonly http = new Histogram({
    name: "remit_http_request_duration_seconds",
    help: "HTTP requests outside tRPC by method, route pattern and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: latencyBuckets,
    registers: [this.registry],
  });
  private readonly outcomes = new Counter({
    name: "remit_tenant_context_outcomes_total",
    help: "Tenant-context resolutions by outcome (ok, repaired, repair_failed, denied)",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });
  private readonly violations = new Counter({
    name: "remit_isolation_violations_total",
    help: "Isolation violations seen by the monitor, by kind",
    labelNames: ["kind"] as const,
    registers: [this.registry],
  });
  private readonly jobSeconds = new Histogram({
    name: "remit_ocr_job_duration_seconds",
    help: "OCR jobs from enqueue to successful completion (queue wait and retries included)",
    buckets: [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800],
    registers: [this.registry],
  });
  private readonly jobFailures = new Counter({
    name: "remit_ocr_job_failures_total",
    help: "Failed OCR attempts by the status they left the job in (queued = will retry)",
    labelNames: ["status"] as const,
    registers: [this.registry],
  });

  private readonly claimWaits = new Counter({
    name: "remit_job_claim_waits_total",
    help: "Worker claims that waited for a job, by how the wait ended (signal, timeout, aborted)",
    labelNames: ["ended"] as const,
    registers: [this.registry],
  });
  private readonly claimsWaiting = new Gauge({
    name: "remit_job_claims_waiting",
    help: "Worker claims waiting for a job in this process right now",
    registers: [this.registry],
  });

  constructor(sources: MetricSources, options: { processMetrics?: boolean } = {}) {
    new Gauge({
      name: "remit_ocr_queue_jobs",
      help: "OCR jobs by queue state, across tenants",
      labelNames: ["status"] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        const depth = await orNull(sources.queueDepth());
        for (const status of ["queued", "running", "dead"] as const) {
          if (depth) this.set({ status }, depth[status]);
        }
      },
    });
    new Gauge({
      name: "remit_ocr_jobs_leased",
      help: "OCR jobs currently leased by workers (the workers' concurrency in use)",
      registers: [this.registry],
      async collect() {
        this.reset();
        const depth = await orNull(sources.queueDepth());
        if (depth) this.set(depth.running);
      },
    });
    new Gauge({
      name: "remit_tenant_context_health_ratio",
      help: "Tenant-context rates over the last 5 minutes, across tenants (absent without traffic)",
      labelNames: ["rate"] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        const health = await orNull(sources.tenantContextHealth());
        if (!health) return;
        const rates = {
          coverage: health.coverageRate,
          repair: health.repairRate,
          repair_success: health.repairSuccessRate,
        };
        for (const [rate, value] of Object.entries(rates)) {
          if (value !== null) this.set({ rate }, value);
        }
      },
    });
    new Gauge({
      name: "remit_tenant_context_degraded",
      help: "1 when tenant-context health misses a threshold over the last 5 minutes, else 0",
      registers: [this.registry],
      async collect() {
        this.reset();
        const health = await orNull(sources.tenantContextHealth());
        if (health) this.set(health.status === "degraded" ? 1 : 0);
      },
    });
    if (options.processMetrics)
      collectDefaultMetrics({ register: this.registry, prefix: "remit_" });
  }

  observeProcedure(path: string, code: string, seconds: number): void {
    this.procedure.observe({ path, code }, seconds);
  }

  /** `route` must be a route pattern (`/api/files`, `/api/jobs/:jobId/pages/:page`), never a URL. */
  observeHttp(method: string, route: string, status: number, seconds: number): void {
    this.http.observe({ method, route, status: String(status) }, seconds);
  }

  tenantContext(outcome: TenantContextOutcome): void {
    this.outcomes.inc({ outcome });
  }

  violation(kind: IsolationViolationKind): void {
    this.violations.inc({ kind });
  }

  /** A claim began waiting for a job (+1), or stopped (-1, with how its wait ended). */
  claimWaiting(delta: 1 | -1, ended?: "signal" | "timeout" | "aborted"): void {
    this.claimsWaiting.inc(delta);
    if (ended) this.claimWaits.inc({ ended });
  }

  jobCompleted(seconds: number): void {
    this.jobSeconds.observe(seconds);
  }

  jobFailed(status: FailedJobStatus): void {
    this.jobFailures.inc({ status });
  }

  /** The exposition text, and its content type. */
  async scrape(): Promise<{ body: string; contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }
}
