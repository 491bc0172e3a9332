/*
 * The product brief's health checks for tenant context ("JWT health monitor"): coverage above
 * 99%, repair success above 95%, repair rate below 1%. Coverage counts only requests that
 * arrived with a valid tenant context (ok): a repaired or refused context is not covered.
 */

export const healthThresholds = {
  /** Share of requests that arrived with a valid tenant context: must be above this. */
  coverageMin: 0.99,
  /** Share of repairs that found an active membership: must be above this. */
  repairSuccessMin: 0.95,
  /** Share of requests that needed a repair (successful or not): must be below this. */
  repairRateMax: 0.01,
} as const;

export type HealthStatus = "ok" | "degraded" | "no_traffic";
export type HealthCheck = "coverage" | "repairRate" | "repairSuccess";

export interface OutcomeCounts {
  ok: number;
  repaired: number;
  repairFailed: number;
  denied: number;
  total: number;
}

export interface HealthRates {
  counts: OutcomeCounts;
  /** ok / all; null without traffic. */
  coverageRate: number | null;
  /** (repaired + repair_failed) / all; null without traffic. */
  repairRate: number | null;
  /** repaired / (repaired + repair_failed); null when nothing needed a repair. */
  repairSuccessRate: number | null;
}

export interface HealthSummary extends HealthRates {
  status: HealthStatus;
  /** The checks that did not hold; empty when the status is ok or no_traffic. */
  failing: HealthCheck[];
}

const rate = (part: number, whole: number) => (whole === 0 ? null : part / whole);

export function countsOf(parts: Omit<OutcomeCounts, "total">): OutcomeCounts {
  return { ...parts, total: parts.ok + parts.repaired + parts.repairFailed + parts.denied };
}

export function ratesOf(counts: OutcomeCounts): HealthRates {
  const repairs = counts.repaired + counts.repairFailed;
  return {
    counts,
    coverageRate: rate(counts.ok, counts.total),
    repairRate: rate(repairs, counts.total),
    repairSuccessRate: rate(counts.repaired, repairs),
  };
}

/** Rates and the status they give against the thresholds. No repairs at all is not a failure. */
export function summarize(counts: OutcomeCounts): HealthSummary {
  const rates = ratesOf(counts);
  if (counts.total === 0) return { ...rates, status: "no_traffic", failing: [] };
  const failing: HealthCheck[] = [];
  if ((rates.coverageRate ?? 0) <= healthThresholds.coverageMin) failing.push("coverage");
  if ((rates.repairRate ?? 0) >= healthThresholds.repairRateMax) failing.push("repairRate");
  if (
    rates.repairSuccessRate !== null &&
    rates.repairSuccessRate <= healthThresholds.repairSuccessMin
  )
    failing.push("repairSuccess");
  return { ...rates, status: failing.length === 0 ? "ok" : "degraded", failing };
}
