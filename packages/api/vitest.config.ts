import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["./test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    // Files share their worker's modules (no module state is shared between them: every file
    // builds its own database and dependencies), saving each file the import of the API.
    isolate: false,
    fileParallelism: !process.env.TEST_DATABASE_URL,
  },
});
