import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { createDb } from "./client";
import { migratedImagePath, pgliteImageFolder } from "./image";
import { migrate } from "./migrate";

export { migratedImageKey, migratedImagePath, seedFreshDataDir } from "./image";

/*
 * A fresh embedded database costs an initdb in WebAssembly and every migration: about 8 s and
 * 900 MB of memory at first start. Opening a copy of a data directory that was already
 * initialised and migrated costs a fraction of that. `pnpm build` (and `pnpm db:image`) makes
 * that image once per checkout; the API starts an empty data directory as a copy of it.
 *
 * The image is named after every migration file and the PGlite version, so a changed migration
 * or a PGlite upgrade makes a new one, and a data directory is never started from a stale
 * image (an image that does not match is not used: the start falls back to initdb + migrate).
 * It holds the schema only: no rows, no keys (better-auth makes its JWT keys on first use).
 * The same key names the test suite's migrated dump (testing/template.ts).
 */

/** Initialises and migrates an in-memory PGlite, and writes its dump (PGlite's tar) to `path`. */
export async function writeMigratedDump(path: string): Promise<void> {
  const handle = createDb({ dataDir: "memory://" });
  try {
    await migrate(handle);
    const client = (handle.db as unknown as { $client: PGlite }).$client;
    const dump = await client.dumpDataDir("none");
    mkdirSync(dirname(path), { recursive: true });
    // Write, then rename: a process reading the image never sees half a file.
    const partial = `${path}.${process.pid}.partial`;
    writeFileSync(partial, new Uint8Array(await dump.arrayBuffer()));
    renameSync(partial, path);
  } finally {
    await handle.close();
  }
}

/**
 * This checkout's image for the current migrations: its path, built if it is missing. The image
 * is a data directory that was initialised, migrated and closed cleanly; a new embedded database
 * is a copy of it (a plain file copy: unpacking a dump through PGlite's file system takes
 * longer than PostgreSQL's own start).
 */
export async function buildMigratedImage(
  folder = pgliteImageFolder,
  /** Start from this dump instead of initdb (tests: the suite's migrated dump). */
  from?: Blob,
): Promise<string> {
  const path = migratedImagePath(folder);
  if (existsSync(path)) return path;
  mkdirSync(folder, { recursive: true });
  // Built aside, then renamed: a start copying the image never sees half a directory.
  const partial = `${path}.${process.pid}.partial`;
  rmSync(partial, { recursive: true, force: true });
  const handle = createDb({ dataDir: partial, loadDataDir: from });
  try {
    await migrate(handle);
    const client = (handle.db as unknown as { $client: PGlite }).$client;
    // Everything on the data files, so a copy has no WAL to replay at its first start.
    await client.query("checkpoint");
  } finally {
    await handle.close();
  }
  renameSync(partial, path);
  return path;
}
