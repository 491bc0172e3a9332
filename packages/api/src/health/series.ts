import type { OutcomeBucket } from "@remit/db";
import { countsOf, type HealthRates, type OutcomeCounts, ratesOf } from "./thresholds";

/** One point of the chart: a bucket's counts and rates. */
export interface HealthPoint extends HealthRates {
  start: Date;
}

/** Bucket sizes a window is split into: at most 60 points, in steps a person reads easily. */
const steps = [60, 300, 900, 1800, 3600, 10_800, 21_600, 43_200, 86_400];

export function bucketSecondsFor(windowMinutes: number): number {
  const seconds = windowMinutes * 60;
  return steps.find((step) => seconds / step <= 60) ?? 86_400;
}

/**
 * Every bucket from the one holding `since` to the one holding `now`, empty ones included, so a
 * chart's x axis is time and a quiet spell shows as a gap rather than disappearing. Buckets are
 * aligned to the epoch, as the SQL groups them.
 */
export function fillSeries(
  buckets: OutcomeBucket[],
  params: { since: Date; bucketSeconds: number; now?: Date },
): HealthPoint[] {
  const size = params.bucketSeconds * 1000;
  const byStart = new Map(buckets.map((b) => [b.start.getTime(), b]));
  const first = Math.floor(params.since.getTime() / size) * size;
  const last = Math.floor((params.now ?? new Date()).getTime() / size) * size;
  const points: HealthPoint[] = [];
  for (let at = first; at <= last; at += size) {
    const b = byStart.get(at);
    points.push({
      start: new Date(at),
      ...ratesOf(
        countsOf({
          ok: b?.ok ?? 0,
          repaired: b?.repaired ?? 0,
          repairFailed: b?.repairFailed ?? 0,
          denied: b?.denied ?? 0,
        }),
      ),
    });
  }
  return points;
}

/** The window's totals, from its buckets. */
export function totalOf(buckets: OutcomeBucket[]): OutcomeCounts {
  const sum = (key: "ok" | "repaired" | "repairFailed" | "denied") =>
    buckets.reduce((n, b) => n + b[key], 0);
  return countsOf({
    ok: sum("ok"),
    repaired: sum("repaired"),
    repairFailed: sum("repairFailed"),
    denied: sum("denied"),
  });
}
