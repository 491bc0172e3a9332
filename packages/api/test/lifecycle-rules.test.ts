import {
  invoiceStatuses as databaseStatuses,
  invoiceApprovals,
  invoices,
  type MemberRole,
  tenantSettings,
  withTenant,
} from "@remit/db";
import {
  can,
  type InvoiceStatus,
  invoiceStatuses,
  isLockedStatus,
  roleNames,
  transitionBetween,
  transitions,
} from "@remit/rules";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorld, type World } from "./harness";

/*
 * @remit/rules' lifecycle against the database's own (drizzle/0009): every status pair, tried
 * as every role on the database as remit_app. The triggers are the enforcement; the rules are
 * what the server offers and the web app shows, so they must never offer a step the database
 * refuses, and must name every edge it has. Separation of duties is relaxed here (it has its
 * own tests in role-matrix.test.ts): this is about edges and roles.
 */

let world: World;

const as = (role: MemberRole) => ({
  tenantId: world.tenantA,
  userId: world.a[role].userId,
  role,
});

beforeAll(async () => {
  world = await createWorld();
  await withTenant(world.deps.db, as("admin"), (db) =>
    db.insert(tenantSettings).values({
      tenantId: world.tenantA,
      separationOfDuties: false,
      updatedBy: world.a.admin.userId,
    }),
  );
});

afterAll(async () => {
  await world?.close();
});

/** An invoice brought to `status` the ordinary way: a user submits, a verifier verifies, an admin approves. */
async function invoiceIn(status: InvoiceStatus): Promise<string> {
  const [created] = await withTenant(world.deps.db, as("user"), (db) =>
    db
      .insert(invoices)
      .values({ tenantId: world.tenantA, createdBy: world.a.user.userId, currency: "EUR" })
      .returning({ id: invoices.id }),
  );
  if (!created) throw new Error("no invoice");
  const path: InvoiceStatus[] = ["pending_verification", "verified", "approved_to_ap", "paid"];
  const steps = path.slice(0, path.indexOf(status) + 1);
  const by: Record<string, MemberRole> = {
    pending_verification: "user",
    verified: "verifier",
    approved_to_ap: "admin",
    paid: "admin",
  };
  for (const next of steps) await move(created.id, next, by[next] ?? "admin");
  return created.id;
}

/** One attempt, as remit_app: approval is an approval row; every other step a status update. */
async function move(id: string, to: InvoiceStatus, role: MemberRole): Promise<void> {
  await withTenant(world.deps.db, as(role), async (db) => {
    if (to === "approved_to_ap") {
      await db.insert(invoiceApprovals).values({
        tenantId: world.tenantA,
        invoiceId: id,
        approverId: world.a[role].userId,
        approverRole: "verifier",
        round: 0,
        snapshot: {},
      });
    } else {
      // Marking paid is the one update of a locked invoice, in a transaction that says so
      // (queries/invoice-paid.ts); the trigger still decides who may.
      if (to === "paid") await db.execute(sql`select set_config('app.marking_paid', 'on', true)`);
      await db.update(invoices).set({ status: to }).where(eq(invoices.id, id));
    }
  });
}

async function statusOf(id: string) {
  const [row] = await world.handle.db
    .select({ status: invoices.status, isLocked: invoices.isLocked })
    .from(invoices)
    .where(eq(invoices.id, id));
  return row;
}

/** Whether the database let `role` move an invoice from `from` to `to`. */
async function databaseAllows(from: InvoiceStatus, to: InvoiceStatus, role: MemberRole) {
  const id = await invoiceIn(from);
  await move(id, to, role).catch(() => undefined);
  return (await statusOf(id))?.status === to;
}

describe("the lifecycle in @remit/rules", () => {
  it("has the database's statuses, and locks exactly where the database locks", async () => {
    expect([...invoiceStatuses].sort()).toEqual([...databaseStatuses].sort());
    for (const status of invoiceStatuses) {
      const row = await statusOf(await invoiceIn(status));
      expect({ status, locked: row?.isLocked }).toEqual({ status, locked: isLockedStatus(status) });
    }
  });

  it("offers no step the database refuses, and names every edge the database has", async () => {
    const looser: string[] = [];
    for (const from of invoiceStatuses) {
      for (const to of invoiceStatuses) {
        if (from === to) continue;
        const step = transitionBetween(from, to);
        let someRole = false;
        for (const role of roleNames) {
          const database = await databaseAllows(from, to, role);
          const rules = step !== null && can(role, transitions[step].permission);
          someRole ||= database;
          // The rules never offer what the database refuses.
          if (rules) expect({ from, to, role, database }).toEqual({ from, to, role, database });
          if (database && !rules) looser.push(`${from} → ${to} as ${role}`);
        }
        expect({ from, to, edge: someRole }).toEqual({ from, to, edge: step !== null });
      }
    }
    // Where the database is looser, the API's permission check is what refuses: the database
    // guards only the verified side of the review by role (RM003), so taking an invoice back
    // from pending verification is reject's invoice:verify, checked by the router.
    expect(looser).toEqual(["pending_verification → draft as user"]);
  });
});
