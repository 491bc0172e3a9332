import { pruneRateLimits } from "@remit/db";
import type { ApiDeps } from "../context";
import { type SweepReport, sweepOrphans } from "../upload/sweeper";
import type { PeriodicTask } from "./runner";

const hour = 3_600_000;

/**
 * The housekeeping every cluster needs once, not once per API process: rate-limit counters
 * whose window has ended are deleted, and orphaned objects (a crash between storing a file and
 * committing its rows) are swept once they are an hour old. Both are safe to repeat.
 */
export function maintenanceTasks(
  deps: Pick<ApiDeps, "db" | "store">,
  settings: { rateLimitWindowSeconds: number; onSwept?: (report: SweepReport) => void },
): PeriodicTask[] {
  return [
    {
      name: "prune-rate-limits",
      everyMs: hour,
      run: async () => {
        await pruneRateLimits(deps.db, settings.rateLimitWindowSeconds);
      },
    },
    {
      name: "sweep-orphans",
      everyMs: hour,
      run: async () => {
        const report = await sweepOrphans(deps, { graceMs: hour });
        settings.onSwept?.(report);
      },
    },
  ];
}
