import { useQuery } from "@tanstack/react-query";
import { organizationClient } from "better-auth/client/plugins";
import { createAuthClient } from "better-auth/react";

/*
 * better-auth's own client, on the API's origin (`/api/auth`, its default path): the browser
 * keeps the session cookie, and the cookie carries the active tenant. The organization plugin
 * adds the invitation calls; the server's bearer and jwt plugins serve Node clients and need
 * nothing here.
 */
export const authClient = createAuthClient({ plugins: [organizationClient()] });

export type Session = typeof authClient.$Infer.Session;
export type SessionUser = Session["user"];

export class AuthError extends Error {}

interface Failure {
  status: number;
  message?: string | undefined;
  error?: unknown;
}

/**
 * better-auth answers `{ data, error }`: unwrap it into the value or an AuthError with one
 * sentence for people. A request that never got an answer rejects instead (fetch's TypeError).
 */
async function call<T>(
  request: Promise<{ data: T; error: null } | { data: null; error: Failure }>,
) {
  let result: Awaited<typeof request>;
  try {
    result = await request;
  } catch {
    throw new AuthError("Could not reach Remit. Check your connection and try again.");
  }
  if (result.error) {
    // apps/api's own refusals (its sign-in rate limit) say `error`, better-auth's `message`.
    const { message, error, status } = result.error;
    const said = message ?? (typeof error === "string" ? error : undefined);
    throw new AuthError(sentence(said) ?? `The request failed (${status}).`);
  }
  return result.data as T;
}

function sentence(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const clean = text.trim();
  return clean.charAt(0).toUpperCase() + clean.slice(1) + (/[.!?]$/.test(clean) ? "" : ".");
}

export const auth = {
  signUp: (body: { name: string; email: string; password: string }) =>
    call(authClient.signUp.email(body)),
  signIn: (body: { email: string; password: string }) => call(authClient.signIn.email(body)),
  signOut: () => call(authClient.signOut()),
  getSession: () => call(authClient.getSession()),
  getInvitation: async (id: string) => {
    const invitation = await call(authClient.organization.getInvitation({ query: { id } }));
    if (!invitation) throw new AuthError("The invitation was not found.");
    return invitation;
  },
  acceptInvitation: (invitationId: string) =>
    call(authClient.organization.acceptInvitation({ invitationId })),
};

export const sessionKey = ["auth", "session"] as const;

/*
 * The session lives in TanStack Query's cache, not in better-auth's own store, so that a tenant
 * switch or a sign-out can clear every query and keep (or drop) the session in one place.
 */
export function useSession() {
  return useQuery({ queryKey: sessionKey, queryFn: auth.getSession, staleTime: 60_000 });
}
