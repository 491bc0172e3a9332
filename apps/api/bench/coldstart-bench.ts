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

/**
 * The process's CPU time so far, user + system, its waited-for children's included (the image
 * copy's `cp`), from /proc/<pid>/stat, in seconds.
 */
function cpuSeconds(pid: number): number {
  // Fields after the command's closing parenthesis: utime, stime, cutime, cstime are 12th–15th.
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const ticks = stat
    .slice(stat.lastIndexOf(")") + 2)
    .split(" ")
    .slice(11, 15)
    .reduce((total, field) => total + Number(field), 0);
  // Clock ticks: 100 per second on Linux (USER_HZ).
  return ticks / 100;
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

async function coldStart(): Promise<{ seconds: number; peakMb: number; cpu: number }> {
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
    // On a shared machine the wall time waits for other processes; the CPU time does not.
    const cpu = child.pid ? cpuSeconds(child.pid) : Number.NaN;
    return { seconds, peakMb, cpu };
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) =>
      child.exitCode !== null ? resolve(null) : child.once("exit", resolve),
    );
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const image = existsSync(imageFolder) ? "with the migrated image" : "without an image (initdb)";
const times: number[] = [];
for (let run = 1; run <= Number(values.runs); run++) {
  const { seconds, peakMb, cpu } = await coldStart();
  times.push(seconds);
  console.log(
    `bench:coldstart: ${values.built ? "built" : `dev (${values.entry})`} API ${image}: ready in ` +
      `${seconds.toFixed(2)} s, CPU ${cpu.toFixed(2)} s, peak RSS ${peakMb.toFixed(0)} MB`,
  );
}
if (times.length > 1) {
  const sorted = [...times].sort((x, y) => x - y);
  const median = ((sorted[(sorted.length - 1) >> 1] ?? 0) + (sorted[sorted.length >> 1] ?? 0)) / 2;
  console.log(`bench:coldstart: median ready in ${median.toFixed(2)} s over ${times.length} runs`);
}
