import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/*
 * Where the migrated PGlite image lives and how a new data directory becomes a copy of it
 * (pglite-image.ts builds it). Apart, and importing nothing but node:, so that the API's entry
 * can start the copy before it loads the rest of the server (`@remit/db/image`).
 */

/** The repo's top-level drizzle/ folder: generated SQL plus the hand-written isolation SQL. */
export const migrationsFolder = fileURLToPath(new URL("../../../drizzle", import.meta.url));

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

/** The image folder for the current migrations (a PGlite data directory). */
export function migratedImagePath(folder = pgliteImageFolder): string {
  return join(folder, `remit-migrated-${migratedImageKey()}`);
}

/** The image to start dataDir from: null when dataDir is in memory or not empty, or no image. */
function imageFor(dataDir: string, folder: string): string | null {
  if (dataDir.startsWith("memory://")) return null;
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) return null;
  const image = migratedImagePath(folder);
  return existsSync(image) ? image : null;
}

/**
 * Makes a new embedded data directory (missing or empty) a copy of the migrated image, when an
 * image of the current migrations exists; true if it did. An existing database is left as it
 * is, and without an image the start runs initdb and the migrations as before.
 *
 * The copy is `cp -R` in a process of its own: it runs beside the caller, which meanwhile
 * imports the rest of the server, and it copies the image's ~1,100 files in a third of the time
 * of Node's cpSync (0.5 s against 1.4 s, docs/benchmarks.md); Node's async cp was slower
 * still, its per-file callbacks waiting behind the imports. Where there is no `cp`, cpSync.
 */
export async function seedFreshDataDir(
  dataDir: string,
  folder = pgliteImageFolder,
): Promise<boolean> {
  const image = imageFor(dataDir, folder);
  if (!image) return false;
  // cp -R makes dataDir itself only when it does not exist (else it copies into it).
  if (existsSync(dataDir)) rmdirSync(dataDir);
  mkdirSync(dirname(dataDir), { recursive: true });
  const copied = await new Promise<boolean>((resolve) => {
    execFile("cp", ["-R", image, dataDir], (error) => resolve(error === null));
  });
  if (!copied) cpSync(image, dataDir, { recursive: true, force: true });
  return true;
}
