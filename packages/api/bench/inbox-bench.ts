import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createDb, migrate, queryRows } from "@remit/db";
import { localStore } from "@remit/storage";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { createApiDeps, createCaller, createContext } from "../src";
import { encodeInvoiceCursor, encodeSortCursor } from "../src/queries/invoice-cursor";
import { benchDatabaseUrl } from "./env";

/*
 * pnpm bench:inbox — every inbox call on a tenant with a million invoices, next to the same call
 * on a tenant with a thousand, through the real tRPC caller (session, tenant transaction as
 * remit_app under RLS, input validation, invoice.list's page and tab counts).
 *
 * Seeds both tenants with generate_series as the owner into a database of its own on
 * DATABASE_URL's server (dropped afterwards): 20 people per tenant (one of them "me"), suppliers,
 * a year of invoices in every status, 90% linked to a supplier, 80% read by OCR (a supplier name
 * and a line). Then, case by case, alternates the two tenants call by call so that the
 * machine's noise falls on both alike, and prints p50/p99 per tenant and the 1M/1k ratio.
 *
 * Documents as read carry their pages' words (what supplier memory learns from): every invoice
 * of the small tenant and the newest --wordy of the big one get a pages array of --words words
 * (about 75 bytes each as JSON, so 400 words is a 30 KB extraction), because the inbox must not
 * pay for them per row. Older rows of the big tenant carry fields only, to keep seeding in
 * minutes.
 *
 *   pnpm bench:inbox [--invoices 1000000] [--small 1000] [--iterations 150] [--keep]
 *                    [--words 400] [--wordy 20000] [--db <name>]
 *
 * --db names the database: when it exists it is reused as seeded before (migrations still run,
 * so new indexes get built), when not it is created, seeded and kept. Without it, a fresh
 * database is created and dropped afterwards (--keep keeps it).
 */

const { values: args } = parseArgs({
  options: {
    invoices: { type: "string", default: "1000000" },
    small: { type: "string", default: "1000" },
    iterations: { type: "string", default: "150" },
    keep: { type: "boolean", default: false },
    words: { type: "string", default: "400" },
    wordy: { type: "string", default: "20000" },
    db: { type: "string" },
  },
});
const bigCount = Number(args.invoices);
const smallCount = Number(args.small);
const iterations = Number(args.iterations);
const wordCount = Number(args.words);
const wordyCount = Number(args.wordy);
const warmup = 10;

if (!benchDatabaseUrl) {
  console.error("bench:inbox needs DATABASE_URL (a PostgreSQL server it may create a database on)");
  process.exit(2);
}
if (args.db !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(args.db)) {
  console.error("bench:inbox: --db takes a lower-case database name (letters, digits, _)");
  process.exit(2);
}
const dbName = args.db ?? `remit_bench_inbox_${process.pid}`;
const keep = args.keep || args.db !== undefined;
const admin = postgres(benchDatabaseUrl, { max: 1, onnotice: () => {} });
const reuse =
  (await admin`select 1 from pg_database where datname = ${dbName}`).length > 0 &&
  args.db !== undefined;
if (!reuse) await admin.unsafe(`create database ${dbName}`);
const url = new URL(benchDatabaseUrl);
url.pathname = `/${dbName}`;
const handle = createDb({ url: url.toString(), maxConnections: 4 });
const objects = mkdtempSync(join(tmpdir(), "remit-bench-inbox-"));

interface Tenant {
  label: string;
  tenantId: string;
  userId: string;
  caller: ReturnType<typeof createCaller>;
  /** Cursors to the middle and near the end of the tenant's newest-first order. */
  middle: string;
  end: string;
  /** A cursor to the middle of the amount sort (highest first). */
  byTotalMiddle: string;
  /** A supplier of the tenant, for the supplier filter. */
  supplierId: string;
  /** Search terms that exist in this tenant (same shape in both). */
  terms: Record<string, string>;
}

const firstWords = [
  "Nordwind",
  "Bergmann",
  "Sonnenhof",
  "Alpen",
  "Hansa",
  "Rhein",
  "Elbe",
  "Taunus",
];
const secondWords = ["Logistik", "Elektro", "Bau", "Druck", "Software", "Catering", "Reinigung"];
const services = ["Wartung", "Lieferung", "Montage", "Beratung", "Reparatur", "Miete", "Schulung"];
const objectsOf = ["Kältetechnik", "Aufzug", "Server", "Heizung", "Fahrzeug", "Dach", "Netzwerk"];
const pgArray = (xs: string[]) => `{${xs.map((x) => `"${x}"`).join(",")}}`;

try {
  const started = performance.now();
  await migrate(handle);
  const deps = createApiDeps({
    db: handle.db,
    store: localStore({ root: objects }),
    secret: "bench-secret-that-is-long-enough-0123456789",
    baseURL: "http://127.0.0.1:3999",
    fileLinks: {
      secret: "bench-files-secret-0123456789abcdef",
      downloadUrl: "http://127.0.0.1:3999/api/files",
    },
  });
  const db = handle.db;

  /** A person who signs up and creates the tenant: the caller every case runs as. */
  async function owner(name: string) {
    const account = { email: `${name}@example.test`, password: "bench password 123" };
    if (!reuse) await deps.auth.api.signUpEmail({ body: { name, ...account } });
    const { headers } = await deps.auth.api.signInEmail({ body: account, returnHeaders: true });
    const h = new Headers({ authorization: `Bearer ${headers.get("set-auth-token")}` });
    const [user] = await queryRows<{ id: string }>(
      db,
      sql`select id from users where email = ${account.email.toLowerCase()}`,
    );
    if (!user) throw new Error("sign-up did not create the person");
    if (reuse) {
      const [member] = await queryRows<{ tenantId: string }>(
        db,
        sql`select organization_id as "tenantId" from members where user_id = ${user.id}`,
      );
      if (!member) throw new Error(`database ${dbName} has no tenant of ${name}`);
      await deps.auth.api.setActiveOrganization({
        headers: h,
        body: { organizationId: member.tenantId },
      });
      return { headers: h, tenantId: member.tenantId, userId: user.id };
    }
    const org = await deps.auth.api.createOrganization({
      headers: h,
      body: { name, slug: `${name}-${crypto.randomUUID().slice(0, 8)}` },
    });
    if (!org) throw new Error("sign-up did not create the tenant");
    return { headers: h, tenantId: org.id, userId: user.id };
  }

  /** Seeds n invoices into the tenant, as the owner, in statements of 100,000. */
  async function seed(tenantId: string, me: string, n: number, supplierCount: number) {
    await db.execute(sql`
      insert into users (id, name, email)
      select gen_random_uuid(), 'Colleague ' || g, 'colleague-' || g || '-' || ${tenantId} || '@example.test'
      from generate_series(1, 19) g`);
    await db.execute(sql`
      insert into members (organization_id, user_id, role)
      select ${tenantId}::uuid, id, 'user' from users
      where email like ${`colleague-%-${tenantId}@example.test`}`);
    await db.execute(sql`
      insert into suppliers (tenant_id, name, created_by)
      select ${tenantId}::uuid,
        (${pgArray(firstWords)}::text[])[1 + s % ${firstWords.length}] || ' ' ||
        (${pgArray(secondWords)}::text[])[1 + s % ${secondWords.length}] || ' ' || s || ' GmbH',
        ${me}::uuid
      from generate_series(1, ${supplierCount}) s`);
    for (let from = 1; from <= n; from += 100_000) {
      const to = Math.min(n, from + 99_999);
      await db.execute(sql`
        with people as (
          select array_agg(user_id order by user_id <> ${me}::uuid, user_id) ids
          from members where organization_id = ${tenantId}::uuid),
        sups as (
          select array_agg(id order by name) ids from suppliers where tenant_id = ${tenantId}::uuid),
        -- One page of words as OCR stores them (text, box, confidence), lines of 8 words.
        tmpl as (
          select jsonb_build_array(jsonb_build_object('number', 1, 'width', 1654,
            'height', 2339, 'source', 'ocr', 'lines', jsonb_agg(line order by l))) pages
          from (
            select l, jsonb_build_object('text', string_agg(t, ' ' order by k),
              'box', jsonb_build_object('x', 40, 'y', 40 + l * 22, 'width', 1500, 'height', 20),
              'confidence', 0.9,
              'words', jsonb_agg(jsonb_build_object('text', t, 'box', jsonb_build_object(
                'x', 40 + k * 180, 'y', 40 + l * 22, 'width', 60 + (random() * 100)::int,
                'height', 18), 'confidence', round(random()::numeric, 3)) order by k)) line
            from generate_series(0, ${Math.max(1, Math.ceil(wordCount / 8)) - 1}) l,
              generate_series(0, 7) k,
              lateral (select substr(md5(random()::text), 1, 3 + (random() * 7)::int) t) w
            group by l) x)
        insert into invoices (tenant_id, status, is_locked, supplier_id, invoice_number,
          invoice_date, due_date, currency, total, created_by, created_at, extraction, warnings)
        select ${tenantId}::uuid, st.status, st.status = 'approved_to_ap',
          -- every 997th is a second copy of the one before (same supplier and number)
          case when k.k % 10 <> 0 then sups.ids[1 + k.k % ${supplierCount}] end,
          'INV-' || lpad(k.k::text, 7, '0'), date '2026-11-27' - (g * 365 / ${n}),
          date '2026-11-27' - (g * 365 / ${n}) + 30,
          'EUR', (g % 1000) * 11.90, people.ids[1 + (g / 7) % 20],
          -- a year of invoices, newest first by g; neighbours may share a millisecond
          timestamptz '2026-11-27 12:00:00+00' - g * (interval '365 days' / ${n}),
          case when g % 5 <> 1 then jsonb_build_object('fields', jsonb_build_object(
            'supplierName', jsonb_build_object('value',
              case when g % 10 = 0 then 'Brauhaus Kessler ' || (g / 10) % 97
                   else 'Read supplier ' || g % ${supplierCount} end),
            'lineItems', jsonb_build_array(jsonb_build_object('description', jsonb_build_object(
              'value', (${pgArray(services)}::text[])[1 + g % ${services.length}] || ' ' ||
                       (${pgArray(objectsOf)}::text[])[1 + (g / 7) % ${objectsOf.length}] ||
                       ' Auftrag ' || g % 997)))))
            || case when g <= ${wordyCount} then jsonb_build_object('pages', tmpl.pages)
                    else '{}'::jsonb end
          end,
          case when g % 50 = 0 then '["total does not match the lines"]'::jsonb else '[]'::jsonb end
        from generate_series(${from}::int, ${to}::int) g, people, sups, tmpl,
          lateral (select case when g % 997 = 0 then g - 1 else g end as k) k,
          lateral (select (case when g % 100 < 85 then 'approved_to_ap'
                                when g % 100 < 90 then 'verified'
                                when g % 100 < 95 then 'pending_verification'
                                else 'draft' end)::invoice_status as status) st`);
      if (n >= 100_000) process.stdout.write(`\r  seeded ${to}/${n} invoices`);
    }
    if (n >= 100_000) process.stdout.write("\n");
  }

  /** A cursor to the row at `offset` in newest-first order, made as invoice.list makes one. */
  async function cursorAt(tenantId: string, offset: number): Promise<string> {
    const [row] = await queryRows<{ at: string; id: string }>(
      db,
      sql`select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at, id
          from invoices where tenant_id = ${tenantId}
          order by created_at desc, id desc offset ${offset} limit 1`,
    );
    if (!row) throw new Error("no row at that offset");
    return encodeInvoiceCursor(row);
  }

  /** The same in the amount sort's order (highest first), as invoice.list makes one. */
  async function totalCursorAt(tenantId: string, offset: number): Promise<string> {
    const [row] = await queryRows<{ key: string; id: string }>(
      db,
      sql`select total_cents::text as key, id from invoices
          where tenant_id = ${tenantId} and total_cents is not null
          order by total_cents desc, id desc offset ${offset} limit 1`,
    );
    if (!row) throw new Error("no row at that offset");
    return encodeSortCursor({ sort: "totalDesc", key: row.key, id: row.id });
  }

  async function tenant(label: string, n: number, supplierCount: number): Promise<Tenant> {
    const who = await owner(`inbox-${label}`);
    if (!reuse) await seed(who.tenantId, who.userId, n, supplierCount);
    // A line read from one invoice's document: the words a person remembers and searches for.
    const [line] = await queryRows<{ text: string }>(
      db,
      sql`select extraction #>> '{fields,lineItems,0,description,value}' as text from invoices
          where tenant_id = ${who.tenantId} and invoice_number = 'INV-0000512'`,
    );
    const [supplier] = await queryRows<{ name: string; id: string }>(
      db,
      sql`select name, id from suppliers where tenant_id = ${who.tenantId} order by name offset 6 limit 1`,
    );
    return {
      label,
      tenantId: who.tenantId,
      userId: who.userId,
      caller: createCaller(await createContext(deps, { headers: who.headers })),
      middle: "",
      end: "",
      byTotalMiddle: "",
      supplierId: supplier?.id ?? "",
      terms: {
        "number (exact)": "INV-0000777",
        "number (part)": "0777",
        "supplier (linked)": supplier?.name ?? "",
        "supplier (read)": "Brauhaus Kessler 23",
        "document text": line?.text ?? "",
        "no match": "Zyxwvut Quantenfabrik",
        "common word": "Auftrag",
      },
    };
  }

  const seedStarted = performance.now();
  // The big tenant's indexes are built after its rows: far faster than a million index inserts.
  const indexes = await queryRows<{ name: string; def: string }>(
    db,
    sql`select indexname as name, indexdef as def from pg_indexes
        where tablename = 'invoices' and indexname <> 'invoices_pkey'`,
  );
  if (!reuse) {
    for (const index of indexes) await db.execute(sql.raw(`drop index ${index.name}`));
    // Possible duplicates are kept per row by triggers (drizzle/0016): rebuilt in one pass instead.
    await db.execute(sql`alter table invoices disable trigger invoices_duplicates_insert`);
  }
  const big = await tenant("1M", bigCount, 2000);
  const small = await tenant("1k", smallCount, 50);
  if (!reuse) {
    for (const index of indexes) await db.execute(sql.raw(index.def));
    await db.execute(sql`alter table invoices enable trigger invoices_duplicates_insert`);
    await db.execute(sql`select invoice_duplicates_rebuild()`);
    await db.execute(sql`vacuum analyze`);
  } else {
    // A migration since the seeding may have rewritten the table: plan on fresh statistics.
    await db.execute(sql`analyze invoices`);
  }
  // Seeding and its VACUUM dirtied about 2 GB of pages. Left to the background checkpointer, they
  // are written while the first cases run, and those calls' p99 is the disk's, not the inbox's
  // (52.5 ms for the 1k tenant's first page in a fresh run on a quiet machine; 22.4 ms worst over
  // every case when the same database was reused). A CHECKPOINT needs a superuser or
  // pg_checkpoint; without one the bench goes on and says so.
  await db.execute(sql`checkpoint`).catch(() => {
    console.log(
      "  (no CHECKPOINT: the role may not; the first cases may pay for the seeding's writes)",
    );
  });
  for (const t of [big, small]) {
    const total = t === big ? bigCount : smallCount;
    t.middle = await cursorAt(t.tenantId, Math.floor(total / 2));
    t.end = await cursorAt(t.tenantId, total - 30);
    t.byTotalMiddle = await totalCursorAt(t.tenantId, Math.floor(total / 2));
  }
  console.log(
    `bench:inbox on PostgreSQL (${reuse ? "reused" : "fresh"} database ${dbName}): tenants of ${bigCount} and ${smallCount} invoices, ${reuse ? "ready" : "seeded"} in ${((performance.now() - seedStarted) / 1000).toFixed(0)} s; pages of ${wordCount} words on ${Math.min(wordyCount, bigCount)} and ${smallCount} invoices`,
  );

  type Input = Parameters<Tenant["caller"]["invoice"]["list"]>[0];
  type Call = (t: Tenant) => Promise<{ items: unknown[] } | { count: number }>;
  const listCases: Array<[string, (t: Tenant) => Input]> = [
    ["first page", () => ({})],
    ["first page, oldest first", () => ({ sort: "oldest" })],
    ["middle page", (t) => ({ cursor: t.middle })],
    ["last page", (t) => ({ cursor: t.end })],
    ["tab draft", () => ({ status: "draft" })],
    ["tab pending_verification", () => ({ status: "pending_verification" })],
    ["tab verified", () => ({ status: "verified" })],
    ["tab approved_to_ap", () => ({ status: "approved_to_ap" })],
    ["tab approved_to_ap, middle page", (t) => ({ status: "approved_to_ap", cursor: t.middle })],
    ["tab draft, oldest first", () => ({ status: "draft", sort: "oldest" })],
    ["mine", () => ({ mine: true })],
    ["mine, middle page", (t) => ({ mine: true, cursor: t.middle })],
    ["mine, tab verified", () => ({ mine: true, status: "verified" })],
    ...Object.keys(big.terms).map(
      (term) =>
        [`search ${term}`, (t: Tenant) => ({ q: t.terms[term] })] as [string, (t: Tenant) => Input],
    ),
    ["search supplier (linked), mine", (t) => ({ q: t.terms["supplier (linked)"], mine: true })],
    ["search document text, tab draft", (t) => ({ q: t.terms["document text"], status: "draft" })],
    ["search common word, middle page", (t) => ({ q: "Auftrag", cursor: t.middle })],
    // The clerk's inbox (drizzle/0016): column sorts and filters, as the web inbox asks for them.
    ["sort invoice date, latest first", () => ({ sort: "invoiceDateDesc" })],
    ["sort due date, soonest first", () => ({ sort: "dueDateAsc" })],
    ["sort amount, highest first", () => ({ sort: "totalDesc" })],
    ["sort amount, middle page", (t) => ({ sort: "totalDesc", cursor: t.byTotalMiddle })],
    ["tab verified, sort amount", () => ({ status: "verified", sort: "totalAsc" })],
    ["filter supplier", (t) => ({ supplierId: t.supplierId })],
    [
      "filter invoice date range",
      () => ({
        invoiceDateFrom: "2026-03-01",
        invoiceDateTo: "2026-03-31",
        sort: "invoiceDateDesc",
      }),
    ],
    ["filter amount range", () => ({ totalMin: "100.00", totalMax: "200.00", sort: "totalDesc" })],
    ["filter overdue", () => ({ due: "overdue", sort: "dueDateAsc" })],
    ["filter due soon", () => ({ due: "dueSoon", sort: "dueDateAsc" })],
    ["filter has warnings", () => ({ hasWarnings: true })],
    ["filter possible duplicate", () => ({ possibleDuplicate: true })],
    // A range under another order: the page walks one index and checks the other column.
    ["filter amount range, newest first", () => ({ totalMin: "100.00", totalMax: "200.00" })],
    [
      "filter amount range, sort due date",
      () => ({ totalMin: "100.00", totalMax: "200.00", sort: "dueDateAsc" }),
    ],
    [
      "filter invoice date range, sort amount",
      () => ({ invoiceDateFrom: "2026-03-01", invoiceDateTo: "2026-03-31", sort: "totalDesc" }),
    ],
    // A search with column sorts and filters (drizzle/0018): the search's matches, or, for a
    // term past the cap ("common word"), a walk of the sort's index checking the match.
    [
      "search supplier (read), sort amount",
      (t) => ({ q: t.terms["supplier (read)"], sort: "totalDesc" }),
    ],
    [
      "search supplier (linked), date range",
      (t) => ({
        q: t.terms["supplier (linked)"],
        invoiceDateFrom: "2026-03-01",
        invoiceDateTo: "2026-08-31",
        sort: "invoiceDateDesc",
      }),
    ],
    [
      "search number (part), amount range",
      (t) => ({ q: t.terms["number (part)"], totalMin: "100.00", totalMax: "600.00" }),
    ],
    [
      "search document text, sort due date",
      (t) => ({ q: t.terms["document text"], sort: "dueDateAsc" }),
    ],
    [
      "search no match, filter supplier",
      (t) => ({ q: t.terms["no match"], supplierId: t.supplierId }),
    ],
    ["search common word, sort amount", () => ({ q: "Auftrag", sort: "totalDesc" })],
    [
      "search common word, amount range",
      () => ({ q: "Auftrag", totalMin: "100.00", totalMax: "200.00", sort: "totalDesc" }),
    ],
    ["search common word, has warnings", () => ({ q: "Auftrag", hasWarnings: true })],
  ];
  // "Waiting for me" (queries/invoice-waiting.ts): the owner is an admin, so every pending and
  // verified invoice of the tenant qualifies (a tenth of it), plus their own read drafts.
  const cases: Array<[string, Call]> = [
    ...listCases.map(([name, input]): [string, Call] => [
      name,
      (t) => t.caller.invoice.list(input(t)),
    ]),
    ["waiting for me", (t) => t.caller.invoice.waiting({})],
    ["waiting for me, newest first", (t) => t.caller.invoice.waiting({ sort: "newest" })],
    ["waiting for me, count", (t) => t.caller.invoice.waitingCount()],
  ];

  const pct = (xs: number[], p: number) =>
    [...xs].sort((x, y) => x - y)[Math.ceil((p / 100) * xs.length) - 1] ?? Number.NaN;
  const rows = new Map<Tenant, number>();
  const time = async (t: Tenant, call: Call) => {
    const begun = performance.now();
    const page = await call(t);
    const ms = performance.now() - begun;
    rows.set(t, "items" in page ? page.items.length : page.count);
    return ms;
  };

  console.log(`  ${iterations} calls per case per tenant, alternating; ms`);
  console.log(
    `  ${"case".padEnd(40)} ${"1M p50".padStart(8)} ${"1M p99".padStart(8)} ${"1k p50".padStart(8)} ${"1k p99".padStart(8)} ${"1M/1k p50".padStart(10)}  rows 1M/1k`,
  );
  let worst = 0;
  for (const [name, call] of cases) {
    const samples = new Map<Tenant, number[]>([
      [big, []],
      [small, []],
    ]);
    for (let i = 0; i < warmup; i++) for (const t of [big, small]) await time(t, call);
    for (let i = 0; i < iterations; i++) {
      const order = i % 2 === 0 ? [big, small] : [small, big];
      for (const t of order) samples.get(t)?.push(await time(t, call));
    }
    const b = samples.get(big) ?? [];
    const s = samples.get(small) ?? [];
    worst = Math.max(worst, pct(b, 99), pct(s, 99));
    console.log(
      `  ${name.padEnd(40)} ${pct(b, 50).toFixed(2).padStart(8)} ${pct(b, 99).toFixed(2).padStart(8)} ${pct(s, 50).toFixed(2).padStart(8)} ${pct(s, 99).toFixed(2).padStart(8)} ${(pct(b, 50) / pct(s, 50)).toFixed(2).padStart(10)}  ${rows.get(big)}/${rows.get(small)}`,
    );
  }
  await deps.recorder.flush();
  // The machine is shared: the load says how far the absolute figures are from a quiet one.
  console.log(
    `  total ${((performance.now() - started) / 1000).toFixed(0)} s; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")} on ${availableParallelism()} cores`,
  );
  console.log(`bench:inbox: worst p99 ${worst.toFixed(1)} ms over ${cases.length} cases`);
} finally {
  await handle.close();
  if (!keep) await admin.unsafe(`drop database if exists ${dbName} with (force)`);
  else console.log(`  kept database ${dbName}`);
  await admin.end();
  rmSync(objects, { recursive: true, force: true });
}
