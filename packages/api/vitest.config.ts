import { defineConfig } from "vitest/config";

const onServer = Boolean(process.env.TEST_DATABASE_URL);

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["./test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Files share their worker's modules (no module state is shared between them: every file
    // builds its own database and dependencies), saving each file the import of the API.
    isolate: false,
    // On a shared PostgreSQL database the files run one at a time, after the other projects of
    // a root run (with the database package's, which take table locks).
    fileParallelism: !onServer,
    sequence: { groupOrder: onServer ? 1 : 0 },
  },
});
