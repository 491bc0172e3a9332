import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { OcrPoolStats } from "../src/ocr/pool";
import { inheritedEnvironment } from "./env";

export interface MemoryRun {
  recycleAfter: number;
  samples: { job: number; rss: number }[];
  stats: OcrPoolStats;
}

/**
 * Runs rss-child.ts in a fresh Node process, under the same loader as this one (tsx's
 * flags are in execArgv), with --expose-gc so that its samples are taken after a full GC.
 */
export function runMemoryChild(childArgs: string[]): Promise<MemoryRun> {
  const script = fileURLToPath(new URL("./rss-child.ts", import.meta.url));
  const child = spawn(
    process.execPath,
    [...process.execArgv, "--expose-gc", script, ...childArgs],
    {
      stdio: ["ignore", "pipe", "inherit"],
      // Two malloc arenas, as apps/worker runs: with glibc's default (8 per core), memory freed
      // by terminated OCR threads stays mapped in their arenas and RSS keeps creeping up.
      env: { ...inheritedEnvironment(), MALLOC_ARENA_MAX: "2" },
    },
  );
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => {
      const last = output.trim().split("\n").at(-1);
      if (code !== 0 || !last) reject(new Error(`memory run exited with ${code}: ${output}`));
      else resolve(JSON.parse(last) as MemoryRun);
    });
  });
}

export function rssAfter(run: MemoryRun, job: number): number {
  return run.samples.find((sample) => sample.job === job)?.rss ?? Number.NaN;
}
