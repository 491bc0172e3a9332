import type { Sample } from "./load";

/** Figures for the requests that ended within [from, to) ms of the run's start. */
export interface Figures {
  requests: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  errors: Map<string, number>;
  fiveXx: number;
  /** 5xx other than a 503 with one of the API's sentences (below): always a failure. */
  bare5xx: number;
  timeouts: number;
  network: number;
}

export const unavailable = "the database is unavailable, try again";
/** The request deadline's answer (apps/api/src/deadline.ts): a clean 503, not a hang. */
export const late = "the server could not answer in time; try again";
const clean503 = (s: Sample) =>
  s.status === 503 && (s.message === unavailable || s.message === late);

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? 0;
}

export function figures(samples: Sample[], from: number, to: number): Figures {
  const within = samples.filter((s) => s.end >= from && s.end < to);
  const latencies = within.map((s) => s.end - s.start).sort((a, b) => a - b);
  const errors = new Map<string, number>();
  let fiveXx = 0;
  let bare5xx = 0;
  for (const s of within) {
    if (s.ok) continue;
    const key = clean503(s) ? `503 "${s.message}"` : `${s.kind}: ${s.message}`;
    errors.set(key, (errors.get(key) ?? 0) + 1);
    if (s.status >= 500) fiveXx++;
    if (s.status >= 500 && !clean503(s)) bare5xx++;
  }
  const seconds = Math.max(0.001, (to - from) / 1000);
  return {
    requests: within.length,
    seconds,
    perSecond: within.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? 0,
    errors,
    fiveXx,
    bare5xx,
    timeouts: within.filter((s) => s.kind === "timeout").length,
    network: within.filter((s) => s.kind === "network").length,
  };
}

export function describe(f: Figures): string {
  const failed = [...f.errors.values()].reduce((a, b) => a + b, 0);
  const kinds = [...f.errors].map(([kind, n]) => `${n} × ${kind}`).join("; ");
  return (
    `${f.requests} requests in ${f.seconds.toFixed(1)} s = ${f.perSecond.toFixed(0)} req/s; ` +
    `p50 ${f.p50.toFixed(1)} ms, p99 ${f.p99.toFixed(1)} ms, max ${f.max.toFixed(0)} ms; ` +
    `${failed} failed (${f.fiveXx} 5xx)${kinds ? `: ${kinds}` : ""}`
  );
}

/** From the injection to the end of the last failed request of the window (0 if none failed). */
export function recovery(samples: Sample[], injectedAt: number, to: number): number {
  const failed = samples.filter((s) => !s.ok && s.end >= injectedAt && s.end < to);
  if (failed.length === 0) return 0;
  return Math.max(...failed.map((s) => s.end)) - injectedAt;
}
