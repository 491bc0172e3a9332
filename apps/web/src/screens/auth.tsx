import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Button } from "../components/ui/button";
import { Field, FormError } from "../components/ui/field";
import { auth, sessionKey } from "../lib/auth";
import { Link, navigate } from "../lib/router";

function nextPath(): string {
  const next = new URLSearchParams(window.location.search).get("next");
  return next?.startsWith("/") && !next.startsWith("//") ? next : "/";
}

/** After signing in or up: refetch the session, then go where the user was heading. */
function useSignedIn() {
  const queryClient = useQueryClient();
  return async (to?: string) => {
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
    await queryClient.refetchQueries({ queryKey: sessionKey });
    if (to) navigate(to, { replace: true });
  };
}

interface AuthFormProps {
  /** Stay on the current page afterwards (the invitation page signs in in place). */
  stay?: boolean;
}

/**
 * One submit path for both forms: read the form, call better-auth, then refetch the session
 * and move on; a failure is shown in words and the form can be sent again.
 */
function useAuthSubmit(
  send: (form: FormData) => Promise<unknown>,
  failure: string,
  { stay, check }: AuthFormProps & { check?: (form: FormData) => string | null },
) {
  const signedIn = useSignedIn();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const problem = check?.(form) ?? null;
    if (problem) {
      setError(problem);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await send(form);
      await signedIn(stay ? undefined : nextPath());
    } catch (err) {
      setError(err instanceof Error ? err.message : failure);
      setBusy(false);
    }
  }

  return { error, busy, onSubmit };
}

const text = (form: FormData, name: string) => String(form.get(name) ?? "");

export function SignInForm({ stay }: AuthFormProps) {
  const { error, busy, onSubmit } = useAuthSubmit(
    (form) => auth.signIn({ email: text(form, "email"), password: text(form, "password") }),
    "Sign-in failed.",
    { stay },
  );

  return (
    <form className="stack" onSubmit={onSubmit} aria-label="Sign in">
      <Field label="Email" name="email" type="email" autoComplete="email" required />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
      />
      <FormError message={error} />
      <Button type="submit" variant="primary" disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}

export function SignUpForm({ stay, email }: AuthFormProps & { email?: string }) {
  const { error, busy, onSubmit } = useAuthSubmit(
    // Sign-up answers alike for new and registered addresses and signs nobody in: the sign-in
    // after it is what proves the password (a registered address with another password fails
    // there, with the same message as any wrong password).
    async (form) => {
      const email = text(form, "email").trim();
      const password = text(form, "password");
      await auth.signUp({ name: text(form, "name").trim(), email, password });
      return auth.signIn({ email, password });
    },
    "Sign-up failed.",
    {
      stay,
      check: (form) =>
        text(form, "password").length < 8 ? "The password needs at least 8 characters." : null,
    },
  );

  return (
    <form className="stack" onSubmit={onSubmit} aria-label="Sign up">
      <Field label="Name" name="name" autoComplete="name" required />
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        defaultValue={email}
        required
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        minLength={8}
        hint="At least 8 characters."
        required
      />
      <FormError message={error} />
      <Button type="submit" variant="primary" disabled={busy}>
        {busy ? "Signing up…" : "Sign up"}
      </Button>
    </form>
  );
}

function AuthPage({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <main className="auth-page" id="main">
      <section className="card auth-card" aria-labelledby="auth-title">
        <p className="brand-mark" aria-hidden="true">
          Remit
        </p>
        <h1 id="auth-title">{title}</h1>
        {children}
      </section>
    </main>
  );
}

/** The other page of the pair, keeping ?next= so the user still lands where they were going. */
function Elsewhere({ prompt, to, label }: { prompt: string; to: string; label: string }) {
  return (
    <p>
      {prompt} <Link to={`${to}${window.location.search}`}>{label}</Link>
    </p>
  );
}

export function SignIn() {
  return (
    <AuthPage title="Sign in to Remit">
      <SignInForm />
      <Elsewhere prompt="New here?" to="/signup" label="Create an account" />
    </AuthPage>
  );
}

export function SignUp() {
  return (
    <AuthPage title="Create your Remit account">
      <SignUpForm />
      <Elsewhere prompt="Already have an account?" to="/signin" label="Sign in instead" />
    </AuthPage>
  );
}
