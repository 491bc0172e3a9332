import { existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migratedImageKey, writeMigratedDump } from "../pglite-image";

/*
 * A fresh PGlite costs an initdb (14–19 s on a busy 2-core machine); loading a dump of an already
 * migrated one costs under 3 s. So the suite migrates once and every test file starts from that
 * dump. The dump is cached in the temporary folder under a name derived from every migration
 * file and the PGlite version (the same key as the image a fresh embedded data directory starts
 * from, see ../pglite-image.ts), so a changed migration or a PGlite upgrade builds a new one.
 */

// One build per process: the global setups of a root run's projects run in one process, each
// with its own copy of this module, and would otherwise all build the same dump at once.
const building = Symbol.for("remit.migratedPgliteDump");
type WithBuild = typeof globalThis & { [building]?: Promise<string> };

/** The path of a dump of a freshly migrated PGlite, built on first use. */
export function migratedPgliteDump(): Promise<string> {
  const shared = globalThis as WithBuild;
  shared[building] ??= buildDump().catch((error: unknown) => {
    shared[building] = undefined;
    throw error;
  });
  return shared[building];
}

async function buildDump(): Promise<string> {
  const path = join(tmpdir(), `remit-pglite-migrated-${migratedImageKey()}.tar`);
  if (!existsSync(path)) await writeMigratedDump(path);
  return path;
}

// The dumps read by this process. A Blob is immutable and PGlite only reads it, so every file a
// test worker runs (workers keep their modules, isolate: false) starts from the same one
// instead of reading and copying 43 MB again for each test file.
const read = new Map<string, Blob>();

/** The dump at `path`, ready for createDb's loadDataDir (read from disk once per process). */
export function readPgliteDump(path: string): Blob {
  let dump = read.get(path);
  if (!dump) {
    dump = new Blob([readFileSync(path)]);
    read.set(path, dump);
  }
  return dump;
}
