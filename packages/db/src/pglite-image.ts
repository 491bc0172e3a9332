import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { PGlite } from "@electric-sql/pglite";
import { createDb } from "./client";
import { migrate, migrationsFolder } from "./migrate";

/*
 * A fresh embedded database costs an initdb in WebAssembly and every migration: about 8 s and
 * 900 MB of memory at first start. Loading a dump of a data directory that was already
 * initialised and migrated costs a fraction of that. `pnpm build` (and `pnpm db:image`) makes
 * that dump once per checkout; the API starts an empty data directory from it.
 *
 * The dump is named after every migration file and the PGlite version, so a changed migration
 * or a PGlite upgrade makes a new one, and a data directory is never started from a stale
 * image (an image that does not match is not used: the start falls back to initdb + migrate).
 * It holds the schema only: no rows, no keys (better-auth makes its JWT keys on first use).
 */

/** Where this checkout keeps its images (ignored by git). */
export const pgliteImageFolder = fileURLToPath(new URL("../.pglite-image/", import.meta.url));

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** A name for a migrated dump: the PGlite version and every migration file, hashed. */
export function migratedImageKey(): string {
  const hash = createHash("sha256");
  const pglitePackage = join(
    dirname(createRequire(import.meta.url).resolve("@electric-sql/pglite")),
    "../package.json",
  );
  hash.update(JSON.parse(readFileSync(pglitePackage, "utf8")).version);
  for (const file of filesUnder(migrationsFolder)) {
    hash.update(file.slice(migrationsFolder.length));
    hash.update(readFileSync(file));
  }
  return hash.digest("hex").slice(0, 16);
}

/** Initialises and migrates an in-memory PGlite, and writes its dump to `path`. */
export async function writeMigratedImage(path: string): Promise<void> {
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

/** This checkout's image for the current migrations: its path, built if it is missing. */
export async function buildMigratedImage(folder = pgliteImageFolder): Promise<string> {
  const path = join(folder, `remit-migrated-${migratedImageKey()}.tar`);
  if (!existsSync(path)) await writeMigratedImage(path);
  return path;
}

/**
 * What an embedded data directory should start from: the migrated image, when the directory is
 * new (missing or empty) and an image of the current migrations exists; else undefined (an
 * existing database opens as it is; without an image, initdb and migrate run as before).
 */
export function imageForFreshDataDir(
  dataDir: string,
  folder = pgliteImageFolder,
): Blob | undefined {
  if (dataDir.startsWith("memory://")) return undefined;
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) return undefined;
  const path = join(folder, `remit-migrated-${migratedImageKey()}.tar`);
  return existsSync(path) ? new Blob([readFileSync(path)]) : undefined;
}
