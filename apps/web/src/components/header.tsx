import { useQuery } from "@tanstack/react-query";
import { Link, navigate, useLocation } from "../lib/router";
import { may, useAppState, useTenant } from "../lib/tenant";
import { useTRPC } from "../lib/trpc";
import { Button } from "./ui/button";

const newTenant = "__new__";

export function Header({ liveStatus }: { liveStatus: string }) {
  const trpc = useTRPC();
  const { user, tenant, tenants, switchTo } = useTenant();
  const { signOut } = useAppState();
  const { path, search } = useLocation();
  const admin = may(tenant, "member:manage");
  // The badge of "Waiting for me": refreshed with the inbox (live events invalidate it).
  const waiting = useQuery(
    trpc.invoice.waitingCount.queryOptions(undefined, { refetchInterval: 60_000 }),
  );

  const links: Array<[string, string]> = [
    ["/", "Inbox"],
    ["/inbox?view=waiting", "Waiting for me"],
    ["/suppliers", "Suppliers"],
    ...(admin
      ? ([
          ["/members", "Members"],
          ["/audit", "Audit log"],
          ["/health", "Isolation health"],
          ["/settings/mail", "E-mail in"],
          ["/settings/webhooks", "Webhooks"],
          ["/settings/approval", "Approval policy"],
        ] as Array<[string, string]>)
      : []),
  ];
  const inQueue = search.get("view") === "waiting";
  const current = (to: string) =>
    to === "/inbox?view=waiting"
      ? path === "/inbox" && inQueue
      : to === "/"
        ? (path === "/" || path === "/inbox" || path.startsWith("/invoices/")) && !inQueue
        : path === to;

  return (
    <header className="topbar">
      <Link to="/" className="brand">
        Remit
      </Link>
      <nav aria-label="Main" className="mainnav">
        <ul>
          {links.map(([to, label]) => (
            <li key={to}>
              <Link to={to} aria-current={current(to) ? "page" : undefined}>
                {label}
                {to === "/inbox?view=waiting" && waiting.data ? (
                  <span className="nav-count" title="Invoices whose next step is yours">
                    {waiting.data.count}
                    {waiting.data.capped ? "+" : ""}
                  </span>
                ) : null}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="topbar-end">
        <label className="tenant-switch">
          <span className="visually-hidden">Tenant</span>
          <select
            aria-label="Tenant"
            value={tenant.id}
            onChange={(event) => {
              const next = event.target.value;
              if (next === newTenant) navigate("/tenants/new");
              else if (next !== tenant.id) switchTo(next);
            }}
          >
            {tenants.map((t) => (
              <option key={t.id} value={t.id} disabled={t.status !== "active"}>
                {t.name}
                {t.status !== "active" ? " (suspended)" : ""}
              </option>
            ))}
            <option value={newTenant}>+ New tenant…</option>
          </select>
        </label>
        <span className="role-badge" title="Your role in this tenant">
          {tenant.role}
        </span>
        <span className="user" title={user.email}>
          <span className="user-name">{user.name}</span>
          <span className="user-email">{user.email}</span>
        </span>
        <span
          className={`live-dot live-${liveStatus}`}
          role="img"
          aria-label={liveStatus === "pending" ? "Live updates on" : "Live updates paused"}
          title={liveStatus === "pending" ? "Live updates on" : "Live updates paused"}
        />
        <Button onClick={() => signOut()}>Sign out</Button>
      </div>
    </header>
  );
}
