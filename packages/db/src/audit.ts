import { sql } from "drizzle-orm";
import { queryRows } from "./rows";
import type { Database, Transaction } from "./types";

/**
 * The catalog proves isolation: rather than trusting the migrations (or a tool that generated
 * them), read what actually reached the database and fail on anything that would let one
 * tenant see or touch another's rows.
 */

export const appRole = "remit_app";

export interface AuditOptions {
  /** SECURITY DEFINER functions remit_app may execute, as regprocedure text: `name(argtypes)`. */
  definerAllowlist?: readonly string[];
  /** Extra PERMISSIVE policies allowed on a tenant table, besides tenant_isolation_<table>. */
  permissivePolicyAllowlist?: Readonly<Record<string, readonly string[]>>;
}

/** The exceptions Remit itself needs, each justified where it is created. */
export const defaultAuditOptions: Required<AuditOptions> = {
  // Appends tenant-context outcomes, which may have no tenant (drizzle/0003); claims the next
  // OCR job and counts the queue, before any tenant is known (drizzle/0004). The isolation
  // monitor (drizzle/0005) appends violations, which may have no tenant (an anonymous forged
  // token), and asks after a NOT_FOUND whether the id exists in another tenant: one boolean for
  // a (table from a fixed list, id) pair, never a row. Tenant-context health (drizzle/0006)
  // counts outcomes across every tenant for /readyz and /metrics: counts per time bucket only,
  // never an id, a tenant or a user, over a window capped at 7 days. Approval (drizzle/0009)
  // shows who did each step by name: tenant_member_names. Inbound mail (drizzle/0011)
  // resolves an address (slug + token hash) to a tenant id and address id, before any tenant is
  // known: nothing else about the address or its tenant.
  definerAllowlist: [
    "record_tenant_context_events(jsonb)",
    "claim_ocr_job(text,integer)",
    "ocr_queue_depth()",
    "record_isolation_violation(jsonb)",
    "id_exists_in_other_tenant(text,uuid)",
    "tenant_context_health(timestamp with time zone,integer)",
    // The names of the current tenant's own members among given ids, for "who approved"
    // (drizzle/0009): a name per member of current_tenant_id(), nothing of anyone else.
    "tenant_member_names(uuid[])",
    "resolve_mail_address(text,text)",
    // IMAP polling (drizzle/0013): which enabled mailboxes of active tenants are due, as (tenant
    // id, mailbox id) pairs; the poller reads each row under withTenant as its tenant.
    "due_imap_mailboxes(integer)",
    // The inbox search (drizzle/0012, 0017): ILIKE is not LEAKPROOF, so under RLS it can never
    // use an index. It matches inside current_tenant_id() only and returns one page of ids and
    // the per-status counts of at most 2,001 matches; the caller reads the rows under RLS.
    "search_inbox(text,invoice_status,uuid,timestamp with time zone,uuid,boolean,integer,integer)",
    // A search under column sorts and filters (drizzle/0018): the same match inside
    // current_tenant_id() only, returning up to p_cap matching ids and the tabs' counts; the
    // caller reads the page under RLS.
    "search_inbox_matches(text,uuid,integer)",
    // The webhook dispatcher's claim (drizzle/0014): leases due deliveries across tenants and
    // returns (tenant id, delivery id, attempt) only; the delivery is read under withTenant.
    "claim_webhook_deliveries(integer,integer,integer,timestamp with time zone)",
  ],
  // Global suppliers (tenant_id IS NULL) are readable by every tenant, by design.
  permissivePolicyAllowlist: { suppliers: ["global_suppliers_readable"] },
};

/**
 * The isolation clause, exactly: anchored, so that `… OR true` or any other addition fails.
 * This is pg_get_expr's rendering of `tenant_id = (SELECT current_tenant_id())`.
 */
const isolationExpression =
  /^\(tenant_id = \( ?SELECT (public\.)?current_tenant_id\(\) AS current_tenant_id ?\)\)$/i;

/** Allowlisted extra policies, each pinned to its command and expression. */
const allowedPolicyShapes: Record<string, { cmd: string; using: RegExp }> = {
  global_suppliers_readable: { cmd: "r", using: /^\(tenant_id IS NULL\)$/i },
};

/** Tables remit_app may only append to and read. */
const appendOnlyTables = [
  "audit_log",
  "invoice_comments",
  "tenant_context_events",
  "invoice_approvals",
  "mail_messages",
  "mail_attachments",
  "webhook_events",
];

/** Lifecycle triggers that must exist and be enabled. */
const requiredTriggers = [
  "invoices.invoices_guard_update",
  "invoices.invoices_guard_delete",
  "invoices.invoices_guard_insert",
  "invoice_line_items.invoice_line_items_guard_lock",
  "documents.documents_guard_lock",
  "suppliers.suppliers_guard",
  "suppliers.suppliers_flag_bank_change",
  "invoice_approvals.invoice_approvals_guard",
  "invoice_approvals.invoice_approvals_settle",
  // The inbox tabs' counters (drizzle/0012): disabled, the tabs would drift from the invoices.
  "invoices.invoices_status_counts_insert",
  "invoices.invoices_status_counts_update",
  "invoices.invoices_status_counts_delete",
  "invoice_status_counts.invoice_status_counts_guard",
  // The webhook outbox (drizzle/0014): disabled, status changes would go out unannounced.
  "invoices.invoices_webhook_outbox",
];

export interface AuditFinding {
  check: string;
  object: string;
  problem: string;
}

export interface AuditReport {
  ok: boolean;
  tenantTables: string[];
  findings: AuditFinding[];
}

const systemSchemas = sql`n.nspname not in ('pg_catalog', 'information_schema', 'drizzle')
  and n.nspname not like 'pg\\_%'`;

interface TableRow extends Record<string, unknown> {
  oid: number;
  name: string;
  rls: boolean;
  forced: boolean;
}

interface PolicyRow extends Record<string, unknown> {
  table: string;
  name: string;
  cmd: string;
  permissive: boolean;
  using: string | null;
  withCheck: string | null;
  roles: string[] | string;
}

export async function auditDatabase(
  db: Database | Transaction,
  options: AuditOptions = {},
): Promise<AuditReport> {
  const opts = { ...defaultAuditOptions, ...options };
  const findings: AuditFinding[] = [];
  const add = (check: string, object: string, problem: string) =>
    findings.push({ check, object, problem });

  const tables = await queryRows<TableRow>(
    db,
    sql`select c.oid::int as oid, n.nspname || '.' || c.relname as name,
          c.relrowsecurity as rls, c.relforcerowsecurity as forced
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind in ('r', 'p') and ${systemSchemas}
          and exists (select 1 from pg_attribute a
                      where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)
        order by 2`,
  );
  const tenantTables = tables.map((t) => t.name);

  const policies = await queryRows<PolicyRow>(
    db,
    sql`select n.nspname || '.' || c.relname as "table", p.polname as name, p.polcmd::text as cmd,
          p.polpermissive as permissive,
          pg_get_expr(p.polqual, p.polrelid) as using,
          pg_get_expr(p.polwithcheck, p.polrelid) as "withCheck",
          array(select case when r = 0 then 'public' else r::regrole::text end
                from unnest(p.polroles) r) as roles
        from pg_policy p join pg_class c on c.oid = p.polrelid
        join pg_namespace n on n.oid = c.relnamespace
        where ${systemSchemas}`,
  );

  for (const table of tables) {
    const bare = table.name.replace(/^public\./, "");
    if (!table.rls) add("rls", table.name, "row-level security is not enabled");
    if (!table.forced) add("rls", table.name, "row-level security is not forced");
    const own = policies.filter((p) => p.table === table.name);
    const isolation = own.find((p) => p.name === `tenant_isolation_${bare}`);
    if (!isolation) {
      add("policy", table.name, `no policy named tenant_isolation_${bare}`);
    } else {
      const roles = toArray(isolation.roles);
      if (isolation.cmd !== "*") add("policy", table.name, "tenant_isolation is not FOR ALL");
      if (!isolation.permissive) add("policy", table.name, "tenant_isolation is not PERMISSIVE");
      if (!roles.includes(appRole) && !roles.includes("public")) {
        add("policy", table.name, `tenant_isolation does not apply to ${appRole}`);
      }
      for (const [clause, expr] of [
        ["USING", isolation.using],
        ["WITH CHECK", isolation.withCheck],
      ] as const) {
        if (!expr) add("policy", table.name, `tenant_isolation has no ${clause} clause`);
        else if (!isolationExpression.test(expr.replace(/\s+/g, " "))) {
          add(
            "policy",
            table.name,
            `tenant_isolation ${clause} does not compare tenant_id with current_tenant_id(): ${expr}`,
          );
        }
      }
    }
    // Permissive policies are OR-ed: any extra one widens what a tenant sees.
    const allowed = opts.permissivePolicyAllowlist[bare] ?? [];
    for (const p of own) {
      if (p.permissive && p.name !== `tenant_isolation_${bare}` && !allowed.includes(p.name)) {
        add("policy", table.name, `unexpected PERMISSIVE policy ${p.name} widens access`);
      }
      const shape = allowed.includes(p.name) ? allowedPolicyShapes[p.name] : undefined;
      if (
        shape &&
        (p.cmd !== shape.cmd || !shape.using.test((p.using ?? "").replace(/\s+/g, " ")))
      ) {
        add("policy", table.name, `allowlisted policy ${p.name} has changed: ${p.cmd} ${p.using}`);
      }
    }
  }

  const role = await queryRows<{ super: boolean; bypass: boolean; login: boolean }>(
    db,
    sql`select rolsuper as super, rolbypassrls as bypass, rolcanlogin as login
        from pg_roles where rolname = ${appRole}`,
  );
  const r = role[0];
  if (!r) {
    add("role", appRole, "role does not exist");
  } else {
    if (r.super) add("role", appRole, "is a superuser");
    if (r.bypass) add("role", appRole, "has BYPASSRLS");
    if (r.login) add("role", appRole, "can log in (must be NOLOGIN)");
    const owned = await queryRows<{ kind: string; name: string }>(
      db,
      sql`select 'relation' as kind, relname::text as name from pg_class
            where relowner = ${appRole}::regrole
          union all select 'function', proname::text from pg_proc where proowner = ${appRole}::regrole
          union all select 'schema', nspname::text from pg_namespace where nspowner = ${appRole}::regrole
          union all select 'type', typname::text from pg_type where typowner = ${appRole}::regrole`,
    );
    for (const o of owned) add("role", appRole, `owns ${o.kind} ${o.name}`);
    const memberOf = await queryRows<{ name: string }>(
      db,
      sql`select m.roleid::regrole::text as name from pg_auth_members m
          where m.member = ${appRole}::regrole`,
    );
    for (const m of memberOf) add("role", appRole, `is a member of ${m.name} and may inherit it`);
  }

  // Grants: on tenant tables only the owner and remit_app; on platform tables, not remit_app.
  const grants = await queryRows<{ table: string; grantee: string; isTenant: boolean }>(
    db,
    sql`select distinct n.nspname || '.' || c.relname as "table",
          case when a.grantee = 0 then 'PUBLIC' else a.grantee::regrole::text end as grantee,
          exists (select 1 from pg_attribute t where t.attrelid = c.oid
                  and t.attname = 'tenant_id' and not t.attisdropped) as "isTenant"
        from pg_class c join pg_namespace n on n.oid = c.relnamespace,
          aclexplode(c.relacl) a
        where c.relkind in ('r', 'p', 'v', 'm') and ${systemSchemas}
          and a.grantee <> c.relowner`,
  );
  for (const g of grants) {
    if (g.isTenant && g.grantee !== appRole) {
      add("grants", g.table, `${g.grantee} is granted privileges on a tenant table`);
    }
    if (!g.isTenant && g.grantee === appRole) {
      add("grants", g.table, `${appRole} is granted privileges on a platform table`);
    }
  }

  // Privileges that bypass RLS or row triggers, or break append-only tables.
  const privileges = await queryRows<{ table: string; privilege: string }>(
    db,
    sql`select n.nspname || '.' || c.relname as "table", p.privilege
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        cross join unnest(array['TRUNCATE', 'REFERENCES', 'TRIGGER', 'UPDATE', 'DELETE']) p(privilege)
        where c.relkind in ('r', 'p') and ${systemSchemas}
          and has_table_privilege(${appRole}, c.oid, p.privilege)`,
  );
  for (const p of privileges) {
    const bare = p.table.replace(/^public\./, "");
    if (["TRUNCATE", "REFERENCES", "TRIGGER"].includes(p.privilege)) {
      add("grants", p.table, `${appRole} holds ${p.privilege}`);
    } else if (appendOnlyTables.includes(bare)) {
      add("grants", p.table, `${appRole} holds ${p.privilege} on an append-only table`);
    }
  }
  const columnGrants = await queryRows<{ column: string; grantee: string }>(
    db,
    sql`select distinct n.nspname || '.' || c.relname || '.' || a.attname as "column",
          case when g.grantee = 0 then 'PUBLIC' else g.grantee::regrole::text end as grantee
        from pg_attribute a join pg_class c on c.oid = a.attrelid
        join pg_namespace n on n.oid = c.relnamespace, aclexplode(a.attacl) g
        where a.attacl is not null and ${systemSchemas} and g.grantee <> c.relowner`,
  );
  for (const g of columnGrants) add("grants", g.column, `column-level grant to ${g.grantee}`);
  const [places] = await queryRows<{ temp: boolean; create: boolean }>(
    db,
    sql`select has_database_privilege(${appRole}, current_database(), 'TEMP') as temp,
               has_schema_privilege(${appRole}, 'public', 'CREATE') as "create"`,
  );
  if (places?.temp) add("grants", appRole, "may create temporary tables (they can shadow Remit's)");
  if (places?.create) add("grants", appRole, "may create objects in schema public");

  const triggers = await queryRows<{ name: string; enabled: string }>(
    db,
    sql`select c.relname || '.' || t.tgname as name, t.tgenabled::text as enabled
        from pg_trigger t join pg_class c on c.oid = t.tgrelid
        join pg_namespace n on n.oid = c.relnamespace
        where not t.tgisinternal and ${systemSchemas}`,
  );
  for (const name of requiredTriggers) {
    const trigger = triggers.find((t) => t.name === name);
    if (!trigger) add("triggers", name, "lifecycle trigger is missing");
    else if (trigger.enabled === "D") add("triggers", name, "lifecycle trigger is disabled");
  }

  const views = await queryRows<{ name: string; kind: string; invoker: boolean }>(
    db,
    sql`select n.nspname || '.' || c.relname as name, c.relkind::text as kind,
          coalesce(c.reloptions::text[] && array['security_invoker=true', 'security_invoker=on',
            'security_invoker=1', 'security_invoker=yes'], false) as invoker
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind in ('v', 'm') and ${systemSchemas}`,
  );
  for (const v of views) {
    if (v.kind === "m") add("views", v.name, "materialized views cannot apply RLS to their reader");
    else if (!v.invoker) add("views", v.name, "view lacks security_invoker = true");
  }

  const definers = await queryRows<{ fn: string }>(
    db,
    sql`select p.oid::regprocedure::text as fn
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where p.prosecdef and ${systemSchemas}
          and has_function_privilege(${appRole}, p.oid, 'EXECUTE')`,
  );
  for (const d of definers) {
    if (!opts.definerAllowlist.includes(d.fn)) {
      add("functions", d.fn, `SECURITY DEFINER function executable by ${appRole}, not allowlisted`);
    }
  }

  const fks = await queryRows<{
    name: string;
    table: string;
    target: string;
    conkey: number[] | string;
    confkey: number[] | string;
    tenantAtt: number;
    targetTenantAtt: number;
  }>(
    db,
    sql`select con.conname as name, cl.relname as "table", rf.relname as target,
          con.conkey, con.confkey, ta.attnum as "tenantAtt", tr.attnum as "targetTenantAtt"
        from pg_constraint con
        join pg_class cl on cl.oid = con.conrelid
        join pg_class rf on rf.oid = con.confrelid
        join pg_namespace n on n.oid = cl.relnamespace
        join pg_attribute ta on ta.attrelid = con.conrelid and ta.attname = 'tenant_id'
        join pg_attribute tr on tr.attrelid = con.confrelid and tr.attname = 'tenant_id'
        where con.contype = 'f' and ${systemSchemas}`,
  );
  for (const fk of fks) {
    const from = toNumbers(fk.conkey);
    const to = toNumbers(fk.confkey);
    const bound = from.some((att, i) => att === fk.tenantAtt && to[i] === fk.targetTenantAtt);
    if (!bound) {
      add(
        "foreign keys",
        `${fk.table}.${fk.name}`,
        `references ${fk.target} without tenant_id in the key`,
      );
    }
  }

  return { ok: findings.length === 0, tenantTables, findings };
}

export function formatAuditReport(report: AuditReport): string {
  const lines = [
    `Tenant tables (${report.tenantTables.length}): ${report.tenantTables.join(", ")}`,
  ];
  if (report.ok) {
    lines.push(
      "PASS: RLS enabled and forced with tenant_isolation USING + WITH CHECK on every tenant table;",
      `      ${appRole} is NOLOGIN, not superuser, no BYPASSRLS, owns nothing; grants, views,`,
      "      SECURITY DEFINER functions and tenant foreign keys are as they must be.",
    );
  } else {
    lines.push(`FAIL: ${report.findings.length} finding(s)`);
    for (const f of report.findings) lines.push(`  [${f.check}] ${f.object}: ${f.problem}`);
  }
  return lines.join("\n");
}

// PGlite and postgres.js both parse int2[] and name[] into arrays, but an unknown array type can
// arrive as its text form "{1,2}"; accept both rather than trust one driver.
function toArray(value: string[] | string): string[] {
  if (Array.isArray(value)) return value;
  return value
    .replace(/^\{|\}$/g, "")
    .split(",")
    .filter(Boolean);
}

function toNumbers(value: number[] | string): number[] {
  return (Array.isArray(value) ? value : toArray(value)).map(Number);
}
