import { useQuery } from "@tanstack/react-query";

/*
 * better-auth over same-origin fetch: the browser keeps the session cookie, and the cookie
 * carries the active tenant. Only the endpoints the API exposes are used.
 */

export interface SessionUser {
  id: string;
  name: string;
  email: string;
}

export interface Session {
  user: SessionUser;
  session: { id: string; activeOrganizationId?: string | null };
}

export class AuthError extends Error {}

async function call<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/api/auth/${path}`, {
      method: init.method ?? (init.body === undefined ? "GET" : "POST"),
      credentials: "same-origin",
      headers: init.body === undefined ? {} : { "content-type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch {
    throw new AuthError("Could not reach Remit. Check your connection and try again.");
  }
  const text = await response.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const message =
      (data as { message?: string; error?: string } | null)?.message ??
      (data as { error?: string } | null)?.error;
    throw new AuthError(sentence(message) ?? `The request failed (${response.status}).`);
  }
  return data as T;
}

function sentence(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const clean = text.trim();
  return clean.charAt(0).toUpperCase() + clean.slice(1) + (/[.!?]$/.test(clean) ? "" : ".");
}

export const auth = {
  signUp: (body: { name: string; email: string; password: string }) =>
    call<unknown>("sign-up/email", { body }),
  signIn: (body: { email: string; password: string }) => call<unknown>("sign-in/email", { body }),
  signOut: () => call<unknown>("sign-out", { body: {} }),
  getSession: () => call<Session | null>("get-session"),
  getInvitation: (id: string) =>
    call<Invitation>(`organization/get-invitation?id=${encodeURIComponent(id)}`),
  acceptInvitation: (invitationId: string) =>
    call<{ invitation?: { organizationId?: string }; member?: { organizationId?: string } }>(
      "organization/accept-invitation",
      { body: { invitationId } },
    ),
};

export interface Invitation {
  id: string;
  email: string;
  role: string;
  status: string;
  organizationId: string;
  organizationName?: string;
  inviterEmail?: string;
  expiresAt?: string;
}

export const sessionKey = ["auth", "session"] as const;

export function useSession() {
  return useQuery({ queryKey: sessionKey, queryFn: auth.getSession, staleTime: 60_000 });
}
