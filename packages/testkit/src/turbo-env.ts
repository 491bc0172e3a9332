import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/*
 * turbo runs `pnpm dev`, `pnpm start` and `pnpm test` in strict environment mode: a variable
 * that turbo.json does not pass through never reaches the app, silently. The apps' tests
 * compare what their env.ts reads with this list.
 */
const turboJson = fileURLToPath(new URL("../../../turbo.json", import.meta.url));

/** The variables turbo passes through to every task. */
export function turboPassThroughEnv(): Set<string> {
  const config = JSON.parse(readFileSync(turboJson, "utf8")) as {
    globalPassThroughEnv?: string[];
    envMode?: string;
  };
  if (config.envMode === "loose") throw new Error("turbo.json uses loose mode: list the settings");
  return new Set(config.globalPassThroughEnv ?? []);
}

/** The keys of `keys` that turbo would drop. */
export function settingsTurboDrops(keys: readonly string[]): string[] {
  const passed = turboPassThroughEnv();
  return keys.filter((key) => !passed.has(key));
}
