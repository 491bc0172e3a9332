import { type Database, type OutcomeBucket, tenantContextHealth } from "@remit/db";
import { bucketSecondsFor, fillSeries, type HealthPoint, totalOf } from "./series";
import { type HealthSummary, healthThresholds, summarize } from "./thresholds";

export interface HealthReport extends HealthSummary {
  windowMinutes: number;
  bucketSeconds: number;
  thresholds: typeof healthThresholds;
  series: HealthPoint[];
}

/** The window a report covers, and how it is split into buckets. */
export function windowOf(windowMinutes: number, now = new Date()) {
  return {
    since: new Date(now.getTime() - windowMinutes * 60_000),
    bucketSeconds: bucketSecondsFor(windowMinutes),
    now,
  };
}

/** Status against the thresholds, rates, and the chart's series, from a window's buckets. */
export function reportOf(
  buckets: OutcomeBucket[],
  window: { windowMinutes: number; since: Date; bucketSeconds: number; now: Date },
): HealthReport {
  return {
    windowMinutes: window.windowMinutes,
    bucketSeconds: window.bucketSeconds,
    thresholds: healthThresholds,
    ...summarize(totalOf(buckets)),
    series: fillSeries(buckets, window),
  };
}

/**
 * Every tenant's requests together (and those that resolved no tenant), through the allowlisted
 * tenant_context_health() as remit_app: counts only.
 */
export async function overallHealth(db: Database, windowMinutes: number): Promise<HealthReport> {
  const window = { windowMinutes, ...windowOf(windowMinutes) };
  return reportOf(await tenantContextHealth(db, window), window);
}
