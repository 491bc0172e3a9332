import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { Neutral } from "../components/neutral";
import { Shell } from "../components/shell";
import { Button } from "../components/ui/button";
import type { SessionUser } from "../lib/auth";
import { codeOf, messageOf } from "../lib/errors";
import { TenantContext, type TenantState, useAppState } from "../lib/tenant";
import { useTRPC } from "../lib/trpc";
import { CreateTenant } from "./create-tenant";

/**
 * Resolves the session's tenant (the server repairs a session that has none) and mounts the
 * app for it, keyed by the tenant's id: a different tenant is a different tree.
 */
export function TenantGate({ user }: { user: SessionUser }) {
  const trpc = useTRPC();
  const { switchTo, signOut } = useAppState();
  const mine = useQuery(trpc.tenant.mine.queryOptions());
  const hasTenants = (mine.data?.length ?? 0) > 0;
  const current = useQuery(
    trpc.tenant.current.queryOptions(undefined, { enabled: hasTenants, retry: false }),
  );

  const state = useMemo<TenantState | null>(
    () =>
      current.data && mine.data
        ? {
            user,
            tenant: current.data,
            tenants: mine.data,
            switchTo: (id: string) => void switchTo(id),
          }
        : null,
    [current.data, mine.data, user, switchTo],
  );

  if (mine.isPending) return <Neutral text="Loading your tenants…" />;
  if (mine.isError) return <Neutral text={messageOf(mine.error)} retry={() => mine.refetch()} />;
  if (!hasTenants) return <CreateTenant first />;
  if (current.isError) {
    return (
      <main className="auth-page" id="main">
        <section className="card auth-card" aria-labelledby="choose-title">
          <h1 id="choose-title">Choose a tenant</h1>
          <p role="alert">
            {codeOf(current.error) === "FORBIDDEN"
              ? messageOf(current.error)
              : `Could not open your tenant: ${messageOf(current.error)}`}
          </p>
          <ul className="plain-list">
            {mine.data.map((t) => (
              <li key={t.id}>
                <Button onClick={() => switchTo(t.id)} disabled={t.status !== "active"}>
                  Open {t.name}
                </Button>{" "}
                <span className="muted">
                  {t.role}
                  {t.status !== "active" ? " · suspended" : ""}
                </span>
              </li>
            ))}
          </ul>
          <Button variant="link" onClick={() => signOut()}>
            Sign out
          </Button>
        </section>
      </main>
    );
  }
  if (!state) return <Neutral text="Opening your tenant…" />;
  return (
    <TenantContext.Provider value={state}>
      <Shell key={state.tenant.id} />
    </TenantContext.Provider>
  );
}
