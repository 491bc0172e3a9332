import { suppliers, withTenant } from "@remit/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerFor, createWorld, outcome, type World } from "./harness";

/*
 * supplier.adopt: "copy a global supplier on first use" as one server call. A global supplier
 * becomes one tenant copy, made once and audited once; a tenant's own supplier is returned as
 * it is; another tenant's supplier is not found. The copies are checked as remit_app.
 */

let world: World;
let globalId: string;

beforeAll(async () => {
  world = await createWorld();
  // Global rows are the platform's: written here as the owner, as the seed does.
  const [global] = await world.handle.db
    .insert(suppliers)
    .values({ tenantId: null, name: "Global Paper GmbH", taxId: "DE999", email: "ap@paper.test" })
    .returning({ id: suppliers.id });
  if (!global) throw new Error("no global supplier");
  globalId = global.id;
});

afterAll(async () => {
  await world?.close();
});

describe("supplier.adopt", () => {
  it("copies a global supplier into the tenant once, audited once, and reuses the copy", async () => {
    const a = await callerFor(world.deps, world.a.verifier);
    const first = await a.supplier.adopt({ id: globalId });
    expect(first).toMatchObject({
      copied: true,
      isGlobal: false,
      globalSupplierId: globalId,
      name: "Global Paper GmbH",
      taxId: "DE999",
      email: "ap@paper.test",
    });
    const again = await (await callerFor(world.deps, world.a.admin)).supplier.adopt({
      id: globalId,
    });
    expect(again).toMatchObject({ id: first.id, copied: false });

    const audit = await (await callerFor(world.deps, world.a.admin)).audit.list({
      action: "supplier.adopt",
    });
    expect(audit.items.map((r) => r.entityId)).toEqual([first.id]);

    // As remit_app: tenant A sees its one copy; tenant B sees none of A's.
    const copiesIn = (tenantId: string, userId: string) =>
      withTenant(world.deps.db, { tenantId, userId, role: "admin" }, (db) =>
        db.select().from(suppliers).where(eq(suppliers.globalSupplierId, globalId)),
      );
    expect((await copiesIn(world.tenantA, world.a.admin.userId)).map((s) => s.id)).toEqual([
      first.id,
    ]);
    expect(await copiesIn(world.tenantB, world.b.admin.userId)).toEqual([]);
  });

  it("makes each tenant its own copy", async () => {
    const b = await callerFor(world.deps, world.b.admin);
    const copy = await b.supplier.adopt({ id: globalId });
    expect(copy.copied).toBe(true);
    const [row] = await world.handle.db.select().from(suppliers).where(eq(suppliers.id, copy.id));
    expect(row?.tenantId).toBe(world.tenantB);
  });

  it("returns a tenant supplier as it is, and does not find another tenant's", async () => {
    const a = await callerFor(world.deps, world.a.admin);
    const own = await a.supplier.create({ name: "Own supplier" });
    if (!own) throw new Error("no supplier");
    expect(await a.supplier.adopt({ id: own.id })).toMatchObject({ id: own.id, copied: false });

    const b = await callerFor(world.deps, world.b.admin);
    expect(await outcome(() => b.supplier.adopt({ id: own.id }))).toBe("NOT_FOUND");
    expect(await outcome(() => b.supplier.adopt({ id: crypto.randomUUID() }))).toBe("NOT_FOUND");
  });

  it("is refused to a user, whose role cannot write suppliers", async () => {
    const user = await callerFor(world.deps, world.a.user);
    expect(await outcome(() => user.supplier.adopt({ id: globalId }))).toBe("FORBIDDEN");
  });
});
