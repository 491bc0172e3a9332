import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The fault tests run worker processes and OCR: one file at a time on a 2-core machine.
    fileParallelism: false,
  },
});
