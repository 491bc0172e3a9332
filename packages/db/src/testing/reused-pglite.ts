import type { PGlite } from "@electric-sql/pglite";
import { openPglite, pgliteHandle } from "../client";
import { readPgliteDump } from "./template";
import type { TestDatabase } from "./test-database";

/*
 * The test files of one vitest worker (which keeps its modules, isolate: false) pass one PGlite
 * from file to file instead of opening a new one from the migrated dump each time: an open costs
 * about 0.5 s of CPU (unpacking 43 MB into PGlite's file system and starting PostgreSQL), some 35 s
 * of a run of about 70 such files. A file still starts from exactly what a new one would give it:
 *
 *   - every row the file wrote is deleted (the migrated dump has rows in one table only,
 *     drizzle's own migrations journal, which is left alone), with triggers and foreign keys
 *     off for the delete (session_replication_role = replica), as no code path could;
 *   - DISCARD ALL resets the session: role, settings, prepared statements, LISTENs, advisory
 *     locks, temporary tables;
 *   - the schema is compared with the dump's, by a fingerprint of the catalogs a test could
 *     change (tables, columns, constraints, indexes, functions, policies, triggers, roles and
 *     their settings, grants, extensions, enum labels). A file that changed any of it (the audit
 *     tests break policies on purpose) gets its PGlite closed, and the next file a new one;
 *   - anything that fails on the way closes the instance too.
 *
 * The file's own handle stops working when it closes (a timer of the file that fires later gets
 * the error a closed database gives), and the channels it listened on are unlistened.
 */

/** The schema as a test could change it, hashed; rows are not in it. */
const fingerprintSql = `select md5(string_agg(x, E'\n' order by x)) as fingerprint from (
  select format('class %s %s %s %s %s', c.oid::regclass, c.relkind, c.relrowsecurity,
      c.relforcerowsecurity, c.relacl)
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
   where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
  union all
  select format('column %s %s %s %s %s %s %s', a.attrelid::regclass, a.attname, a.atttypid::regtype,
      a.attnotnull, a.attisdropped, pg_get_expr(d.adbin, d.adrelid), a.attacl)
    from pg_attribute a join pg_class c on c.oid = a.attrelid
    join pg_namespace n on n.oid = c.relnamespace
    left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
   where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast') and a.attnum > 0
  union all
  select format('constraint %s %s %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid))
    from pg_constraint c join pg_namespace n on n.oid = c.connamespace
   where n.nspname not in ('pg_catalog', 'information_schema')
  union all
  select format('index %s', pg_get_indexdef(i.indexrelid))
    from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
   where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
  union all
  select format('function %s %s %s', p.oid::regprocedure, md5(pg_get_functiondef(p.oid)), p.proacl)
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
   where n.nspname not in ('pg_catalog', 'information_schema') and p.prokind in ('f', 'p')
  union all
  select format('policy %s %s %s %s %s %s %s', polrelid::regclass, polname, polcmd, polpermissive,
      polroles, pg_get_expr(polqual, polrelid), pg_get_expr(polwithcheck, polrelid))
    from pg_policy
  union all
  select format('trigger %s %s', tgenabled, pg_get_triggerdef(oid)) from pg_trigger where not tgisinternal
  union all
  select format('role %s %s %s %s %s %s %s %s', rolname, rolsuper, rolinherit, rolcreaterole,
      rolcreatedb, rolcanlogin, rolbypassrls, rolconfig)
    from pg_roles
  union all
  select format('member %s %s', roleid::regrole, member::regrole) from pg_auth_members
  union all
  select format('setting %s %s %s', setdatabase, setrole, setconfig) from pg_db_role_setting
  union all
  select format('default acl %s %s %s %s', defaclrole, defaclnamespace, defaclobjtype, defaclacl)
    from pg_default_acl
  union all
  select format('schema %s %s', nspname, nspacl) from pg_namespace
  union all
  select format('extension %s %s', extname, extversion) from pg_extension
  union all
  select format('enum %s %s %s', enumtypid::regtype, enumsortorder, enumlabel) from pg_enum
) s(x)`;

/** Every table a test may write: all but drizzle's journal, the dump's only rows. */
const tablesSql = `select format('%I.%I', n.nspname, c.relname) as name
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
 where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema', 'drizzle')`;

interface Pristine {
  fingerprint: string;
  tables: string[];
}

/** What a fresh PGlite from the dump looks like, learnt from the first one this worker opens. */
let pristine: Pristine | undefined;
/** The PGlite the last file handed back, clean, for the next. */
let spare: PGlite | undefined;

async function fingerprintOf(client: PGlite): Promise<string> {
  const result = await client.query<{ fingerprint: string }>(fingerprintSql);
  return result.rows[0]?.fingerprint ?? "";
}

/** Rows deleted, session reset, schema unchanged: true when the instance may be handed on. */
async function cleaned(client: PGlite, from: Pristine): Promise<boolean> {
  await client.exec("DISCARD ALL");
  await client.exec(
    `SET session_replication_role = replica; ${from.tables.map((t) => `DELETE FROM ${t};`).join(" ")}`,
  );
  await client.exec("DISCARD ALL");
  return (await fingerprintOf(client)) === from.fingerprint;
}

/** A test file's PGlite: the worker's spare if it has one, else a new one from the dump. */
export async function openReusedPglite(dumpPath: string): Promise<TestDatabase> {
  let client = spare;
  spare = undefined;
  if (!client) {
    client = openPglite("memory://", readPgliteDump(dumpPath));
    if (!pristine) {
      const tables = await client.query<{ name: string }>(tablesSql);
      pristine = {
        fingerprint: await fingerprintOf(client),
        tables: tables.rows.map((row) => row.name),
      };
    }
  }
  const owned = client;
  const from = pristine;
  let closed = false;
  const unlistens: Array<() => Promise<void>> = [];
  // The file's view of the instance: refuses work once the file closed it, and remembers what
  // the file listened on.
  const view = new Proxy(owned, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (closed) return Promise.reject(new Error("PGlite is closed"));
        const result = value.apply(target, args);
        if (property === "listen") {
          void (result as Promise<() => Promise<void>>).then(
            (unlisten) => unlistens.push(unlisten),
            () => {},
          );
        }
        return result;
      };
    },
  });
  const handle = pgliteHandle(view);
  return {
    ...handle,
    label: "pglite",
    async close() {
      if (closed) return;
      closed = true;
      for (const unlisten of unlistens) await unlisten().catch(() => {});
      const reusable = from !== undefined && (await cleaned(owned, from).catch(() => false));
      if (reusable && !spare) spare = owned;
      else await owned.close();
    },
  };
}
