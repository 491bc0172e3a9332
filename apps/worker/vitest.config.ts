import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Files share their worker's modules: each starts its own API and worker processes, and
    // none keeps state at module level, so only the imports (client, testkit, sharp) are saved.
    isolate: false,
  },
});
