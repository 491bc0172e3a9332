import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";
import { LongFilesFirst } from "./vitest.sequencer.ts";

/*
 * `pnpm test`: every package's suite in one vitest run.
 *
 * On the embedded PGlite (the default pass) every test file is in one project, so that all of
 * them share one pool of workers that keep their modules (isolate: false, as each package's own
 * config already had it). With one project per package, each package's files needed workers of
 * their own: every switch from one package to the next started fresh workers that imported the
 * package's module graph again (32 s of imports in a 133 s run), and at each switch both cores
 * sat idle for seconds. One project imports each module once per worker and lets
 * vitest.sequencer.ts put the long files (real processes, OCR, the upload fuzz) first across
 * packages. The timeouts are the longest any package set; the packages' global setups were the
 * same one (provideTestDatabase), run once here.
 *
 * On PostgreSQL (CI's second pass, TEST_DATABASE_URL) the per-package projects stay: there
 * packages/api and packages/db run their files one at a time on the shared server, after the
 * others (their configs' fileParallelism and groupOrder).
 *
 * Workers: three on this 2-core machine. Much of a long file's time is a child process waiting
 * on a lease, a back-off or start-up; a third file beside two busy ones uses that time. Four
 * were slower (each worker imports the module graph once more). See docs/benchmarks.md
 * "pnpm test — the suite's own time".
 */
const onServer = Boolean(process.env.TEST_DATABASE_URL);
const packages = "packages/{api,auth,db,extract,rules,storage}";
const apps = "apps/{api,worker}";

export default defineConfig({
  test: {
    maxWorkers: availableParallelism() + 1,
    sequence: { sequencer: LongFilesFirst },
    projects: onServer
      ? [`${packages}/vitest.config.ts`, `${apps}/vitest.config.ts`]
      : [
          {
            test: {
              name: "remit",
              include: [`${packages}/test/**/*.test.ts`, `${apps}/test/**/*.test.ts`],
              globalSetup: ["packages/db/test/global-setup.ts"],
              testTimeout: 180_000,
              hookTimeout: 180_000,
              isolate: false,
            },
          },
        ],
  },
});
