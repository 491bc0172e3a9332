import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["./test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: one PGlite per file is enough parallelism. On a shared PostgreSQL database the
    // files run one at a time: the audit tests take table locks for their rolled-back DDL.
    maxWorkers: 2,
    fileParallelism: !process.env.TEST_DATABASE_URL,
  },
});
