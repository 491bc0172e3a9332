import { sql } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import { queryRows } from "../src/rows";
import { openReusedPglite } from "../src/testing/reused-pglite";

/*
 * The embedded pass hands a file's PGlite on to the worker's next file (reused-pglite.ts). Whether
 * the next open gets that instance or a new one from the dump, it must look exactly like a new
 * one: no rows, no session state, no listener of the file before, the dump's schema. These hold
 * either way, so they do not depend on which files ran before in this worker.
 */

const dump = inject("remitSuiteDatabase").pgliteDump;

/** The open the suite's embedded pass makes; the PostgreSQL pass has no dump to start from. */
const open = () => {
  if (!dump) throw new Error("no migrated dump: the embedded pass provides one");
  return openReusedPglite(dump);
};

const count = async (db: Awaited<ReturnType<typeof open>>["db"], table: string) =>
  (await queryRows<{ n: number }>(db, sql.raw(`select count(*)::int as n from ${table}`)))[0]?.n;

describe.skipIf(!dump)("a PGlite handed from file to file", () => {
  it("keeps no row, setting, role or listener of the file before", async () => {
    const first = await open();
    await first.db.execute(
      sql`insert into users (id, name, email) values (gen_random_uuid(), 'Left', 'left@example.test')`,
    );
    await first.db.execute(sql`set app.tenant_id = '11111111-1111-4111-8111-111111111111'`);
    await first.db.execute(sql`set role remit_app`);
    const heard: string[] = [];
    const channel = `remit_test_${crypto.randomUUID().replaceAll("-", "")}`;
    await first.notifications.listen(channel, {
      onPayload: (payload) => heard.push(payload),
      onResume: () => {},
    });
    await first.close();

    const next = await open();
    try {
      expect(await count(next.db, "users")).toBe(0);
      const [session] = await queryRows<{ tenant: string | null; who: string }>(
        next.db,
        sql`select nullif(current_setting('app.tenant_id', true), '') as tenant, current_user as who`,
      );
      expect(session).toEqual({ tenant: null, who: "postgres" });
      await next.notifications.notify([{ channel, payload: "for the file before" }]);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(heard).toEqual([]);
    } finally {
      await next.close();
    }
  });

  it("is not handed on after a file changed the schema", async () => {
    const changer = await open();
    await changer.db.execute(sql`create table left_behind (id int)`);
    await changer.db.execute(sql`alter table invoices disable row level security`);
    await changer.close();

    const next = await open();
    try {
      const [state] = await queryRows<{ table: string | null; rls: boolean }>(
        next.db,
        sql`select to_regclass('public.left_behind')::text as "table",
          (select relrowsecurity from pg_class where oid = 'public.invoices'::regclass) as rls`,
      );
      expect(state).toEqual({ table: null, rls: true });
    } finally {
      await next.close();
    }
  });

  it("refuses work through a handle once its file closed it", async () => {
    const handle = await open();
    await handle.close();
    await expect(handle.db.execute(sql`select 1`)).rejects.toThrow();
  });
});
