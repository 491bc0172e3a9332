import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["./test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Files share their worker's modules: each starts its own server, database and dependencies,
    // and none keeps state at module level, so only the import of the app is saved.
    isolate: false,
  },
});
