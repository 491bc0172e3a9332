import { execFile } from "node:child_process";
import { promisify } from "node:util";
import postgres from "postgres";

/*
 * The load test's own view of PostgreSQL, as the server's superuser: it reads the API's database
 * to check the data, and it breaks things (terminating the API's connections, restarting the
 * server). Other people's test runs may share the server, so a restart waits until none is active.
 */

const run = promisify(execFile);

export type Sql = postgres.Sql;

export function connect(url: string): Sql {
  return postgres(url, {
    max: 2,
    onnotice: () => {},
    connection: { application_name: "remit-load" },
  });
}

/** Ends the API's connections to its database (found by application name in pg_stat_activity). */
export async function terminateApiConnections(sql: Sql, database: string): Promise<number> {
  const rows = await sql<{ ok: boolean }[]>`
    select pg_terminate_backend(pid) as ok from pg_stat_activity
    where datname = ${database} and application_name = 'remit' and pid <> pg_backend_pid()`;
  return rows.filter((r) => r.ok).length;
}

/** Other test runs on this machine (they may share the server): a restart must not hit them. */
export async function otherTestRuns(): Promise<string[]> {
  const { stdout } = await run("ps", ["-eo", "pid,args"]);
  return stdout
    .split("\n")
    .filter((line) => /vitest|test:isolation/.test(line) && !line.includes("ps -eo"))
    .map((line) => line.trim());
}

export async function waitForQuietServer(
  maxMs: number,
): Promise<{ waitedMs: number; quiet: boolean }> {
  const started = Date.now();
  while (Date.now() - started < maxMs) {
    if ((await otherTestRuns()).length === 0)
      return { waitedMs: Date.now() - started, quiet: true };
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  return { waitedMs: Date.now() - started, quiet: false };
}

/** Restarts the server with the given command (pg_ctlcluster by default); returns its duration. */
export async function restartServer(command: string): Promise<number> {
  const [file, ...args] = command.split(/\s+/).filter(Boolean);
  if (!file) throw new Error("no restart command");
  const started = performance.now();
  await run(file, args, { timeout: 120_000 });
  return performance.now() - started;
}
