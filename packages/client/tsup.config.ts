import { defineConfig } from "tsup";

// dist/ for projects outside the monorepo: ESM JavaScript plus one bundled .d.ts in which the
// workspace packages' types (the router and its schema) are inlined, so that AppRouter resolves
// without them.
export default defineConfig({
  entry: { index: "src/index.ts", remit: "src/cli/remit.ts" },
  format: ["esm"],
  target: "node20",
  clean: true,
  dts: true,
  external: ["@trpc/client", "@trpc/server", "superjson", "zod"],
});
