import { defineConfig } from "tsup";

// dist/ for projects outside the monorepo: ESM JavaScript plus one bundled .d.ts. The router's
// type is the client's own (src/router.ts): written out in full, without the server's context or
// meta, so the declarations need no workspace package and no editing after the build
// (scripts/check-outside.sh checks that they import nothing else).
export default defineConfig({
  entry: { index: "src/index.ts", remit: "src/cli/remit.ts" },
  format: ["esm"],
  target: "node20",
  clean: true,
  dts: true,
  external: ["@trpc/client", "@trpc/server", "superjson", "zod"],
});
