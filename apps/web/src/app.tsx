import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useMemo, useState } from "react";
import { NetworkBanner } from "./components/network-banner";
import { Neutral } from "./components/neutral";
import { auth, type Session, sessionKey, useSession } from "./lib/auth";
import { messageOf } from "./lib/errors";
import { match, navigate, Redirect, useLocation } from "./lib/router";
import { AppContext, type AppState } from "./lib/tenant";
import { trpcClient } from "./lib/trpc";
import { AcceptInvitation } from "./screens/accept";
import { SignIn, SignUp } from "./screens/auth";
import { CreateTenant } from "./screens/create-tenant";
import { TenantGate } from "./screens/tenant-gate";

/**
 * Who is here decides what renders: signed out → sign in / sign up / accept; signed in →
 * the tenant gate. A tenant switch unmounts everything tenant-bound, clears the cache and
 * only then lets the new tenant's screens mount, so nothing of the old tenant can flash.
 */
export function App() {
  const { path } = useLocation();
  const session = useSession();
  const queryClient = useQueryClient();
  const [switching, setSwitching] = useState(false);
  const [switchError, setSwitchError] = useState<string | null>(null);

  const switchTo = useCallback(
    async (tenantId: string, options: { to?: string } = {}) => {
      setSwitching(true);
      setSwitchError(null);
      const kept = queryClient.getQueryData<Session | null>(sessionKey);
      try {
        await queryClient.cancelQueries();
        await trpcClient.tenant.switch.mutate({ tenantId });
      } catch (error) {
        setSwitchError(messageOf(error));
      }
      queryClient.clear();
      if (kept) queryClient.setQueryData(sessionKey, kept);
      navigate(options.to ?? "/", { replace: false });
      setSwitching(false);
    },
    [queryClient],
  );

  const signOut = useCallback(async () => {
    try {
      await auth.signOut();
    } finally {
      queryClient.clear();
      queryClient.setQueryData(sessionKey, null);
      navigate("/signin");
    }
  }, [queryClient]);

  const state = useMemo<AppState>(() => ({ switchTo, signOut }), [switchTo, signOut]);

  let body: React.ReactNode;
  const acceptId = match("/accept/:invitationId", path)?.invitationId;
  if (switching) {
    body = <Neutral text="Switching tenant…" />;
  } else if (session.isPending) {
    body = <Neutral text="Loading…" />;
  } else if (session.isError && !session.data) {
    body = <Neutral text={messageOf(session.error)} retry={() => session.refetch()} />;
  } else if (acceptId) {
    body = <AcceptInvitation invitationId={acceptId} signedIn={Boolean(session.data)} />;
  } else if (!session.data) {
    body = path === "/signup" ? <SignUp /> : <SignIn />;
  } else if (path === "/signin" || path === "/signup") {
    body = <Redirect to="/" />;
  } else if (path === "/tenants/new") {
    body = <CreateTenant />;
  } else {
    body = <TenantGate user={session.data.user} />;
  }

  return (
    <AppContext.Provider value={state}>
      <NetworkBanner />
      {switchError ? (
        <div className="banner banner-error" role="alert">
          Could not switch tenant: {switchError}
        </div>
      ) : null}
      {body}
    </AppContext.Provider>
  );
}
