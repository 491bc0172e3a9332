import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { migratedPgliteDump, pgliteExtensions, readPgliteDump } from "@remit/db/testing";
import postgres from "postgres";
import { inheritedEnvironment, testDatabaseUrl } from "./env";

/*
 * Real processes, as in production: an API server (its own fresh database: a temporary PGlite
 * folder, or a new database on TEST_DATABASE_URL's server) and worker processes that know
 * nothing but the API's URL and the worker secret.
 */

const repo = fileURLToPath(new URL("../../../", import.meta.url));
export const workerSecret = "worker-test-secret-0123456789abcdefghij";

/** A port free on 127.0.0.1 at the time of asking. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Fills a new PGlite folder from the migrated dump the test suites share: the server then starts
 * on a migrated database instead of running initdb, which costs many seconds on 2 cores.
 */
async function migratedPgliteFolder(folder: string): Promise<void> {
  mkdirSync(folder, { recursive: true });
  const pg = new PGlite(folder, {
    loadDataDir: readPgliteDump(await migratedPgliteDump()),
    extensions: pgliteExtensions,
  });
  await pg.waitReady;
  await pg.close();
}

let databases = 0;

export interface FreshDatabase {
  /** REMIT_DATA_DIR (objects, and PGlite's folder) and, on a server, DATABASE_URL. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

/**
 * A fresh database: a PGlite folder, or a new database on the PostgreSQL server (`serverUrl`,
 * else TEST_DATABASE_URL). Hand it to several startApi calls to run API processes side by side
 * on one database and one object folder, as behind a load balancer.
 */
export async function freshDatabase(
  serverUrl: string | undefined = testDatabaseUrl,
): Promise<FreshDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), "remit-worker-test-"));
  if (!serverUrl) {
    // apps/api keeps its embedded database in REMIT_DATA_DIR/pglite.
    await migratedPgliteFolder(join(dataDir, "pglite"));
    return {
      env: { REMIT_DATA_DIR: dataDir },
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `remit_worker_${Date.now()}_${process.pid}_${++databases}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin`create database ${admin(name)}`;
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    env: { REMIT_DATA_DIR: dataDir, DATABASE_URL: url.toString() },
    drop: async () => {
      const again = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await again`drop database if exists ${again(name)} with (force)`;
      await again.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ApiProcess {
  url: string;
  objectsDir: string;
  /** The server's PostgreSQL database (unset on PGlite), for tests that inspect or break it. */
  databaseUrl: string | undefined;
  /** The server process, for tests that watch whether it survives a fault. */
  child: ChildProcess;
  /** Sends a signal and waits for the process to exit (SIGKILL: a crash). */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** Stops the process; drops its database unless the database was handed in (shared). */
  stop(): Promise<void>;
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

export async function startApi(
  env: Record<string, string> = {},
  options: { database?: FreshDatabase } = {},
): Promise<ApiProcess> {
  const port = await freePort();
  const database = options.database ?? (await freshDatabase());
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: join(repo, "apps/api"),
    env: {
      ...inheritedEnvironment(),
      ...database.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      REMIT_WORKER_SECRET: workerSecret,
      // Tests sign many people in from one address; the limits themselves have tests of their own.
      AUTH_RATE_LIMIT_PER_ADDRESS: "100000",
      ...env,
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  // Until it answers or exits: how long start-up takes on a busy machine is not this helper's
  // to guess (the caller's hook timeout bounds it).
  for (;;) {
    const ready = await fetch(`${url}/readyz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ready) break;
    if (child.exitCode !== null) throw new Error("the API server exited during start-up");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    objectsDir: join(database.env.REMIT_DATA_DIR ?? "", "objects"),
    databaseUrl: env.DATABASE_URL ?? database.env.DATABASE_URL,
    child,
    async kill(signal) {
      child.kill(signal);
      await waitForExit(child);
    },
    async stop() {
      child.kill("SIGTERM");
      await waitForExit(child);
      if (!options.database) await database.drop();
    },
  };
}

export interface WorkerProcess {
  child: ChildProcess;
  /** Structured log lines the worker printed, parsed. */
  logs: Array<Record<string, unknown>>;
  /** Settles when a log line with this message has been printed (at once if it was). */
  logged(msg: string): Promise<Record<string, unknown>>;
  /** Settles with the exit code when the process has exited. */
  exited: Promise<number | null>;
  /** Sends the signal and waits for the process to exit. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

export interface WorkerStartOptions {
  /**
   * The script to run instead of src/main.ts, relative to apps/worker: a test's own entry that
   * runs the same worker with a test double for the extractor. It gets an IPC channel.
   */
  entry?: string;
}

export function startWorker(
  url: string,
  env: Record<string, string> = {},
  args: string[] = [],
  options: WorkerStartOptions = {},
): WorkerProcess {
  const entry = options.entry ?? "src/main.ts";
  const child = spawn(process.execPath, ["--import", "tsx", entry, ...args], {
    cwd: join(repo, "apps/worker"),
    env: {
      ...inheritedEnvironment(),
      REMIT_URL: url,
      // As the worker's own start script runs it (apps/worker/README.md).
      MALLOC_ARENA_MAX: "2",
      REMIT_WORKER_SECRET: workerSecret,
      POLL_INTERVAL_MS: "100",
      LOG_LEVEL: "info",
      ...env,
    },
    stdio: options.entry ? ["ignore", "pipe", "inherit", "ipc"] : ["ignore", "pipe", "inherit"],
  });
  const logs: Array<Record<string, unknown>> = [];
  const waiting: Array<{ msg: string; resolve: (line: Record<string, unknown>) => void }> = [];
  let buffered = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) {
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(line);
      } catch {
        parsed = { msg: line };
      }
      logs.push(parsed);
      for (const waiter of waiting.filter((w) => w.msg === parsed.msg)) waiter.resolve(parsed);
    }
  });
  const exited = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });
  return {
    child,
    logs,
    logged(msg) {
      const seen = logs.find((line) => line.msg === msg);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiting.push({ msg, resolve }));
    },
    exited,
    async kill(signal) {
      child.kill(signal);
      await waitForExit(child);
    },
  };
}

export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
