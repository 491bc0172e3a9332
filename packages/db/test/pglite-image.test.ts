import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../src/client";
import { migrate } from "../src/migrate";
import { buildMigratedImage, seedFreshDataDir } from "../src/pglite-image";
import { queryRows } from "../src/rows";
import { migratedPgliteDump, readPgliteDump } from "../src/testing";

/*
 * A new embedded database starts as a copy of the migrated image (pglite-image.ts): the copy is
 * a complete, migrated database with the app role, and an existing database is never replaced.
 */

let root: string;
let folder: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "remit-image-test-"));
  folder = join(root, "images");
  // From the suite's migrated dump rather than initdb, which the suite has paid for already.
  await buildMigratedImage(folder, readPgliteDump(await migratedPgliteDump()));
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe("the migrated PGlite image", () => {
  it("seeds a new data directory that opens migrated, with nothing left to apply", async () => {
    const dataDir = join(root, "fresh", "pglite");
    expect(await seedFreshDataDir(dataDir, folder)).toBe(true);
    const handle = createDb({ dataDir });
    try {
      const before = await queryRows<{ n: number }>(
        handle.db,
        sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
      );
      await migrate(handle);
      const after = await queryRows<{ n: number }>(
        handle.db,
        sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
      );
      expect(before[0]?.n).toBeGreaterThan(0);
      expect(after[0]?.n).toBe(before[0]?.n);
      const role = await queryRows<{ bypass: boolean }>(
        handle.db,
        sql`select rolbypassrls as bypass from pg_roles where rolname = 'remit_app'`,
      );
      expect(role).toEqual([{ bypass: false }]);
      // No rows and no keys travel with the image.
      const users = await queryRows<{ n: number }>(
        handle.db,
        sql`select count(*)::int as n from users`,
      );
      expect(users[0]?.n).toBe(0);
    } finally {
      await handle.close();
    }
  });

  it("never replaces a data directory that has anything in it", async () => {
    const dataDir = join(root, "existing");
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, "PG_VERSION"), "17");
    expect(await seedFreshDataDir(dataDir, folder)).toBe(false);
    expect(readdirSync(dataDir)).toEqual(["PG_VERSION"]);
  });

  it("without an image of the current migrations, leaves the start to initdb", async () => {
    expect(await seedFreshDataDir(join(root, "none"), join(root, "no-images"))).toBe(false);
  });
});
