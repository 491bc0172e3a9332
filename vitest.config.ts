import { defineConfig } from "vitest/config";

/*
 * `pnpm test`: every package's suite in one vitest run, so that their files share one pool of
 * workers (two, on the 2-core machine) instead of running package after package with a core
 * idle at the end of each. Each project keeps its own config (timeouts, global setup, isolation).
 * apps/e2e is not here: it has its own command (pnpm test:e2e).
 */
export default defineConfig({
  test: {
    projects: [
      "packages/{api,auth,db,extract,rules,storage}/vitest.config.ts",
      "apps/{api,worker}/vitest.config.ts",
    ],
  },
});
