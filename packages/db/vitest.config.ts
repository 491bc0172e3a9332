import { defineConfig } from "vitest/config";

const onServer = Boolean(process.env.TEST_DATABASE_URL);

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["./test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Files share their worker's modules: every file opens its own database, and nothing else
    // is kept at module level.
    isolate: false,
    // On a shared PostgreSQL database the files run one at a time, after the other projects of
    // a root run: the audit tests take table locks for their rolled-back DDL.
    fileParallelism: !onServer,
    sequence: { groupOrder: onServer ? 1 : 0 },
  },
});
