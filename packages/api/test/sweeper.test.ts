import { Readable } from "node:stream";
import { documents, withTenant } from "@remit/db";
import { originalKey } from "@remit/storage";
import { afterAll, beforeAll, expect, it } from "vitest";
import { sweepOrphans } from "../src";
import { callerFor, createWorld, type World } from "./harness";

let world: World;

beforeAll(async () => {
  world = await createWorld();
});

afterAll(async () => {
  await world?.close();
});

it("removes only objects that no row owns and that are older than the grace period", async () => {
  const admin = await callerFor(world.deps, world.a.admin);
  const parts = (invoiceId: string) => ({
    tenantId: world.tenantA,
    userId: world.a.admin.userId,
    invoiceId,
  });
  const put = (key: string) =>
    world.deps.store.put(key, Readable.from([Buffer.from(`%PDF-${key}`)]), {
      maxBytes: 1000,
      contentType: "application/pdf",
    });

  // Owned: an invoice with its document row.
  const invoice = await admin.invoice.create({ invoiceNumber: "OWNED", lineItems: [] });
  const ownedKey = originalKey(parts(invoice.id), "application/pdf");
  const stored = await put(ownedKey);
  await withTenant(
    world.deps.db,
    { tenantId: world.tenantA, userId: world.a.admin.userId, role: "admin" },
    (tx) =>
      tx.insert(documents).values({
        tenantId: world.tenantA,
        invoiceId: invoice.id,
        storageKey: ownedKey,
        contentType: "application/pdf",
        byteSize: stored.bytes,
        sha256: stored.sha256,
        createdBy: world.a.admin.userId,
      }),
  );
  // Orphans: the process died before the rows were written.
  const oldOrphan = originalKey(parts(crypto.randomUUID()), "application/pdf");
  const secondOrphan = originalKey(parts(crypto.randomUUID()), "application/pdf");
  await put(oldOrphan);
  await put(secondOrphan);

  const hour = 3_600_000;
  // Seen two hours from now, all three are past the grace period; only the orphans go.
  const report = await sweepOrphans(world.deps, { graceMs: hour, now: Date.now() + 2 * hour });
  expect(report.removed).toContain(oldOrphan);
  expect(report.removed).toContain(secondOrphan);
  expect(report.removed).not.toContain(ownedKey);
  expect(await world.deps.store.head(ownedKey)).not.toBeNull();
  expect(await world.deps.store.head(oldOrphan)).toBeNull();

  // Within the grace period nothing is touched.
  const inFlight = originalKey(parts(crypto.randomUUID()), "application/pdf");
  await put(inFlight);
  const quiet = await sweepOrphans(world.deps, { graceMs: hour });
  expect(quiet.removed).toEqual([]);
  expect(await world.deps.store.head(inFlight)).not.toBeNull();
});
