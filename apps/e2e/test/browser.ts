import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Browser, chromium } from "playwright-core";

/** Debian's Chromium: a test tool's own browser download does not work on this machine. */
const executablePath = "/usr/bin/chromium";

export const artifactsDir = fileURLToPath(new URL("../../../artifacts/e2e/", import.meta.url));

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(executablePath)) {
    throw new Error("Chromium is missing: install Debian's package (apt-get install -y chromium)");
  }
  mkdirSync(artifactsDir, { recursive: true });
  return chromium.launch({
    executablePath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}
