import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { createDb } from "../client";
import { migrate, migrationsFolder } from "../migrate";

/*
 * A fresh PGlite costs an initdb (14–19 s on a busy 2-core machine); loading a dump of an already
 * migrated one costs under 3 s. So the suite migrates once and every test file starts from that
 * dump. The dump is cached in the temporary folder under a name derived from every migration
 * file and the PGlite version, so a changed migration or a PGlite upgrade builds a new one.
 */

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

function templateKey(): string {
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
  const path = join(tmpdir(), `remit-pglite-migrated-${templateKey()}.tar`);
  if (existsSync(path)) return path;
  const handle = createDb({ dataDir: "memory://" });
  try {
    await migrate(handle);
    const client = (handle.db as unknown as { $client: PGlite }).$client;
    const dump = await client.dumpDataDir("none");
    // Write, then rename: another test run building the same dump never sees half a file.
    const partial = `${path}.${process.pid}.partial`;
    writeFileSync(partial, new Uint8Array(await dump.arrayBuffer()));
    renameSync(partial, path);
  } finally {
    await handle.close();
  }
  return path;
}

/** The dump at `path`, ready for createDb's loadDataDir. */
export function readPgliteDump(path: string): Blob {
  return new Blob([readFileSync(path)]);
}
