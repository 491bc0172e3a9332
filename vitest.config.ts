import { defineConfig } from "vitest/config";

/*
 * `pnpm test`: every package's suite in one vitest run, so that their files share one pool of
 * workers instead of running package after package with a core idle at the end of each. Each
 * project keeps its own config (timeouts, global setup, isolation). apps/e2e is not here: it has
 * its own command (pnpm test:e2e).
 *
 * Vitest's default pool is one worker fewer than the cores: one worker on the 2-core machine.
 * A second worker was measured (docs/benchmarks.md, "pnpm test — the suite's own time"): it
 * helped only under heavy outside load, and on a quieter machine one worker (317 s) was no
 * slower than two (356–385 s), because the processes the tests start (API servers, workers,
 * tesseract threads) already use the second core. So the default stays.
 */
export default defineConfig({
  test: {
    projects: [
      "packages/{api,auth,db,extract,rules,storage}/vitest.config.ts",
      "apps/{api,worker}/vitest.config.ts",
    ],
  },
});
