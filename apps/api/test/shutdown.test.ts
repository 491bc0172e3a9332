import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";

/*
 * The real process: started as `pnpm dev` would start it (embedded database, migrations at
 * start-up), then SIGTERM. It must stop accepting, finish, flush and close, and exit 0.
 */
it("starts on an empty data folder and shuts down cleanly on SIGTERM", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "remit-shutdown-"));
  const port = 31_000 + Math.floor(Math.random() * 2000);
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: join(import.meta.dirname, ".."),
    env: {
      ...process.env,
      PORT: String(port),
      REMIT_DATA_DIR: dataDir,
      DATABASE_URL: "",
      LOG_LEVEL: "warn",
      NODE_ENV: "development",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  try {
    let ready = false;
    for (let i = 0; i < 120 && !ready; i++) {
      ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (!ready) await new Promise((resolve) => setTimeout(resolve, 250));
    }
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
});
