import { inboxViews, type TenantDb } from "@remit/db";
import { and, asc, eq } from "drizzle-orm";
import { NotFoundError, PreconditionError } from "../errors";
import { type InboxViewQuery, inboxViewQuery } from "./inbox-query";

/*
 * A person's saved inbox views. RLS shows each person only their own in the tenant they act in
 * (drizzle/0016); the explicit tenant and user predicates say the same for the planner.
 */

export const maxViewsPerPerson = 50;

interface Owner {
  tenantId: string;
  userId: string;
}

export async function listViews(db: TenantDb, owner: Owner) {
  const rows = await db
    .select({ id: inboxViews.id, name: inboxViews.name, query: inboxViews.query })
    .from(inboxViews)
    .where(and(eq(inboxViews.tenantId, owner.tenantId), eq(inboxViews.userId, owner.userId)))
    .orderBy(asc(inboxViews.name), asc(inboxViews.id));
  // A view saved under an older schema that no longer parses opens as the plain inbox.
  return rows.map((row) => {
    const parsed = inboxViewQuery.safeParse(row.query);
    return { ...row, query: parsed.success ? parsed.data : {} };
  });
}

export async function createView(
  db: TenantDb,
  owner: Owner,
  view: { name: string; query: InboxViewQuery },
) {
  const existing = await listViews(db, owner);
  if (existing.length >= maxViewsPerPerson) {
    throw new PreconditionError(`at most ${maxViewsPerPerson} saved views; delete one first`);
  }
  if (existing.some((v) => v.name.toLowerCase() === view.name.toLowerCase())) {
    throw new PreconditionError(`a view named "${view.name}" exists already`);
  }
  const [row] = await db
    .insert(inboxViews)
    .values({ tenantId: owner.tenantId, userId: owner.userId, name: view.name, query: view.query })
    .returning({ id: inboxViews.id, name: inboxViews.name, query: inboxViews.query });
  if (!row) throw new Error("insert returned no row");
  return { ...row, query: view.query };
}

export async function deleteView(db: TenantDb, owner: Owner, id: string) {
  const [row] = await db
    .delete(inboxViews)
    .where(
      and(
        eq(inboxViews.tenantId, owner.tenantId),
        eq(inboxViews.userId, owner.userId),
        eq(inboxViews.id, id),
      ),
    )
    .returning({ id: inboxViews.id, name: inboxViews.name });
  if (!row) throw new NotFoundError("view");
  return row;
}
