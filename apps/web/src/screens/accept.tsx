import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "../components/ui/button";
import { FormError } from "../components/ui/field";
import { auth, useSession } from "../lib/auth";
import { useAppState } from "../lib/tenant";
import { SignInForm, SignUpForm } from "./auth";

/** /accept/:invitationId — sign up or in first if needed, then join the tenant. */
export function AcceptInvitation({
  invitationId,
  signedIn,
}: {
  invitationId: string;
  signedIn: boolean;
}) {
  return (
    <main className="auth-page" id="main">
      <section className="card auth-card" aria-labelledby="accept-title">
        <h1 id="accept-title">Join a tenant on Remit</h1>
        {signedIn ? <AcceptAsUser invitationId={invitationId} /> : <SignInFirst />}
      </section>
    </main>
  );
}

function SignInFirst() {
  const [mode, setMode] = useState<"signin" | "signup">("signup");
  return (
    <>
      <p>
        You have been invited. Sign in, or create an account with the email address the invitation
        was sent to, to accept it.
      </p>
      <fieldset className="segmented">
        <legend className="visually-hidden">Account</legend>
        <Button aria-pressed={mode === "signup"} onClick={() => setMode("signup")}>
          I am new to Remit
        </Button>
        <Button aria-pressed={mode === "signin"} onClick={() => setMode("signin")}>
          I have an account
        </Button>
      </fieldset>
      {mode === "signup" ? <SignUpForm stay /> : <SignInForm stay />}
    </>
  );
}

function AcceptAsUser({ invitationId }: { invitationId: string }) {
  const session = useSession();
  const { switchTo, signOut } = useAppState();
  const invitation = useQuery({
    queryKey: ["auth", "invitation", invitationId],
    queryFn: () => auth.getInvitation(invitationId),
    retry: false,
  });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function accept() {
    setBusy(true);
    setError(null);
    try {
      const result = await auth.acceptInvitation(invitationId);
      const tenantId =
        result?.member?.organizationId ??
        result?.invitation?.organizationId ??
        invitation.data?.organizationId;
      if (tenantId) await switchTo(tenantId);
    } catch (err) {
      setError(err instanceof Error ? err.message : "The invitation could not be accepted.");
      setBusy(false);
    }
  }

  const email = session.data?.user.email;
  if (invitation.isPending) return <p role="status">Reading the invitation…</p>;
  if (invitation.isError) {
    return (
      <>
        <p role="alert">
          This invitation cannot be opened: {invitation.error.message} You are signed in as{" "}
          <strong>{email}</strong>; an invitation can only be accepted by the address it was sent
          to.
        </p>
        <Button onClick={() => signOut()}>Sign out</Button>
      </>
    );
  }
  const inv = invitation.data;
  return (
    <>
      <p>
        <strong>{inv.inviterEmail ?? "Someone"}</strong> invited <strong>{inv.email}</strong> to
        join <strong>{inv.organizationName ?? "a tenant"}</strong> as <strong>{inv.role}</strong>.
      </p>
      {inv.status !== "pending" ? <p role="alert">This invitation is {inv.status}.</p> : null}
      <FormError message={error} />
      <div className="row">
        <Button variant="primary" onClick={accept} disabled={busy || inv.status !== "pending"}>
          {busy ? "Joining…" : "Accept invitation"}
        </Button>
        <Button variant="link" onClick={() => signOut()}>
          Sign out
        </Button>
      </div>
    </>
  );
}
