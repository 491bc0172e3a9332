import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";
import { LongProjectsFirst } from "./vitest.sequencer.ts";

/*
 * `pnpm test`: every package's suite in one vitest run, so that their files share one pool of
 * workers instead of running package after package with a core idle at the end of each. Each
 * project keeps its own config (timeouts, global setup, isolation). apps/e2e is not here: it has
 * its own command (pnpm test:e2e).
 *
 * One worker per core. Vitest's default is one fewer, which on the 2-core machine is a single
 * worker: the files then ran one after another with the second core idle about 95% of the time
 * (400 s wall for 423 s of CPU, docs/benchmarks.md "pnpm test — the suite's own time"). Most of a
 * file's time is one thread's work (OCR, a PGlite, an in-process server) or waiting on a child
 * process (leases, back-offs, start-up), so a second file beside it uses the idle core. An
 * earlier measurement that found two workers no faster was taken under heavy outside load.
 */
export default defineConfig({
  test: {
    maxWorkers: availableParallelism(),
    sequence: { sequencer: LongProjectsFirst },
    projects: [
      "packages/{api,auth,db,extract,rules,storage}/vitest.config.ts",
      "apps/{api,worker}/vitest.config.ts",
    ],
  },
});
