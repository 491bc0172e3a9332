import { defineConfig } from "vitest/config";

// Pure functions: the files share their worker's modules (no module state to leak).
export default defineConfig({
  test: { include: ["test/**/*.test.ts"], isolate: false },
});
