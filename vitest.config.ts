import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

/*
 * `pnpm test`: every package's suite in one vitest run, so that their files share one pool of
 * workers instead of running package after package with a core idle at the end of each. Each
 * project keeps its own config (timeouts, global setup, isolation). apps/e2e is not here: it has
 * its own command (pnpm test:e2e).
 *
 * One worker per core. Vitest's default is one fewer (it keeps a core for itself), which on the
 * 2-core machine is a single worker: the files ran one after another and a core sat idle. The
 * main process only collects results; the files' own work (PGlite, OCR, the servers they start)
 * is what needs the cores. On a shared PostgreSQL the database-heavy projects still run their
 * files one at a time (their own configs), after the rest.
 */
export default defineConfig({
  test: {
    maxWorkers: availableParallelism(),
    projects: [
      "packages/{api,auth,db,extract,rules,storage}/vitest.config.ts",
      "apps/{api,worker}/vitest.config.ts",
    ],
  },
});
