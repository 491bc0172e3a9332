import { defineConfig, type Options } from "tsup";

/*
 * Compiled JavaScript for production (`pnpm build && pnpm start`). Each workspace package is
 * built to its own dist/ with its dependencies left external, so every import still resolves
 * from the package that declares it. Its package.json exports `dist/` under the `remit-build`
 * condition, which only `node --conditions=remit-build` (the apps' start scripts) asks for;
 * tsx, vitest, tsc and Vite keep reading the TypeScript source.
 */
export function workspaceBuild(entry: Record<string, string>, options: Options = {}) {
  return defineConfig({
    entry,
    format: ["esm"],
    target: "node20",
    platform: "node",
    clean: true,
    sourcemap: true,
    ...options,
  });
}
