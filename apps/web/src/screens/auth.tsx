import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Field, FormError } from "../components/form";
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

export function SignInForm({ stay }: AuthFormProps) {
  const signedIn = useSignedIn();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await auth.signIn({
        email: String(form.get("email") ?? ""),
        password: String(form.get("password") ?? ""),
      });
      await signedIn(stay ? undefined : nextPath());
    } catch (err) {
      setError(err instanceof Error ? err.message : "Sign-in failed.");
      setBusy(false);
    }
  }

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
      <button type="submit" className="primary" disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}

export function SignUpForm({ stay, email }: AuthFormProps & { email?: string }) {
  const signedIn = useSignedIn();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get("password") ?? "");
    if (password.length < 8) {
      setError("The password needs at least 8 characters.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await auth.signUp({
        name: String(form.get("name") ?? "").trim(),
        email: String(form.get("email") ?? "").trim(),
        password,
      });
      await signedIn(stay ? undefined : nextPath());
    } catch (err) {
      setError(err instanceof Error ? err.message : "Sign-up failed.");
      setBusy(false);
    }
  }

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
      <button type="submit" className="primary" disabled={busy}>
        {busy ? "Signing up…" : "Sign up"}
      </button>
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

export function SignIn() {
  const search = window.location.search;
  return (
    <AuthPage title="Sign in to Remit">
      <SignInForm />
      <p>
        New here? <Link to={`/signup${search}`}>Create an account</Link>
      </p>
    </AuthPage>
  );
}

export function SignUp() {
  const search = window.location.search;
  return (
    <AuthPage title="Create your Remit account">
      <SignUpForm />
      <p>
        Already have an account? <Link to={`/signin${search}`}>Sign in instead</Link>
      </p>
    </AuthPage>
  );
}
