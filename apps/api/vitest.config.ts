import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["./test/global-setup.ts"],
    // The bounds only catch hangs. Tests here start servers and CLI processes (tsx): next to the
    // other projects' files on a shared 2-core machine, four CLI runs in one test took over 60 s.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // Files share their worker's modules: each starts its own server, database and dependencies,
    // and none keeps state at module level, so only the import of the app is saved.
    isolate: false,
  },
});
