import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

/*
 * pnpm bench:coldstart — the first start of the API on a fresh embedded database: a new, empty
 * REMIT_DATA_DIR, no DATABASE_URL. Reports the time from spawning the process to /readyz
 * answering 200, and the process's peak resident memory (VmHWM, Linux). `--built` starts
 * dist/main.js as `pnpm start` does (run `pnpm build` first); default is the dev entry (tsx).
 * Whether the migrated image was there (`pnpm build` / `pnpm db:image` make it) is printed.
 */

const { values } = parseArgs({
  options: {
    built: { type: "boolean", default: false },
    runs: { type: "string", default: "1" },
    // Another dev entry, relative to apps/api, to time a variant side by side with src/main.ts.
    entry: { type: "string", default: "src/main.ts" },
  },
});
const apiDir = fileURLToPath(new URL("..", import.meta.url));
const imageFolder = fileURLToPath(new URL("../../../packages/db/.pglite-image", import.meta.url));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

async function coldStart(): Promise<{ seconds: number; peakMb: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), "remit-coldstart-"));
  const port = await freePort();
  const args = values.built
    ? ["--conditions=remit-build", "dist/main.js"]
    : ["--import", "tsx", values.entry];
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: apiDir,
    env: {
      ...inherited,
      REMIT_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      WEB_DIST_DIR: "off",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  let peakMb = 0;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error("the API exited during start-up");
      if (child.pid) peakMb = Math.max(peakMb, peakRssMb(child.pid));
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`)
        .then((r) => r.ok)
        .catch(() => false);
      if (ready) break;
      if (performance.now() - started > 180_000) throw new Error("not ready after 180 s");
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const seconds = (performance.now() - started) / 1000;
    if (child.pid) peakMb = Math.max(peakMb, peakRssMb(child.pid));
    return { seconds, peakMb };
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) =>
      child.exitCode !== null ? resolve(null) : child.once("exit", resolve),
    );
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const image = existsSync(imageFolder) ? "with the migrated image" : "without an image (initdb)";
for (let run = 1; run <= Number(values.runs); run++) {
  const { seconds, peakMb } = await coldStart();
  console.log(
    `bench:coldstart: ${values.built ? "built" : `dev (${values.entry})`} API ${image}: ready in ` +
      `${seconds.toFixed(2)} s, peak RSS ${peakMb.toFixed(0)} MB`,
  );
}
