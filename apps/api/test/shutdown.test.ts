import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";

/*
 * The real process: started as `pnpm dev` would start it (embedded database, migrations at
 * start-up), then SIGTERM. It must stop accepting, finish, flush and close, and exit 0.
 */

/** A port nothing listens on: the system picks it, and it is released for the server. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

// An initdb on an empty folder takes tens of seconds on a busy 2-core machine.
const startUpMs = 180_000;

it(
  "starts on an empty data folder and shuts down cleanly on SIGTERM",
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "remit-shutdown-"));
    const port = await freePort();
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: join(import.meta.dirname, ".."),
      env: {
        ...process.env,
        PORT: String(port),
        REMIT_DATA_DIR: dataDir,
        DATABASE_URL: "",
        // info, for the line that says the server listens: the signal that start-up is over.
        LOG_LEVEL: "info",
        NODE_ENV: "development",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const exited = new Promise<number | null>((resolve) =>
      child.on("exit", (code) => resolve(code)),
    );
    const listening = new Promise<boolean>((resolve) => {
      child.stdout.on("data", (chunk) => {
        output += chunk;
        if (output.includes("Remit API listening")) resolve(true);
      });
      void exited.then(() => resolve(false));
    });
    child.stderr.on("data", (chunk) => (output += chunk));
    try {
      expect(await listening, output).toBe(true);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      expect(ready, output).toBe(true);
      child.kill("SIGTERM");
      expect(await exited, output).toBe(0);
      expect(
        await fetch(`http://127.0.0.1:${port}/healthz`).then(
          () => "answered",
          () => "closed",
        ),
      ).toBe("closed");
    } finally {
      child.kill("SIGKILL");
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
  startUpMs,
);
