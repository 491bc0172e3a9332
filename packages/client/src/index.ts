import { createTRPCClient, httpBatchLink, type TRPCClient, TRPCClientError } from "@trpc/client";
import type { AnyRouter, inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import superjson from "superjson";
import type { ClientRouter } from "./router";

export { TRPCClientError };

export interface RemitClientOptions {
  /** The API's origin, e.g. http://127.0.0.1:3000. */
  url: string;
  /** A session token (from sign-in) or a JWT (from /api/auth/token). */
  token: string;
  /** Optional fetch to use (tests, proxies). */
  fetch?: typeof fetch;
  /** Calls made in the same tick share one request, up to this many (default 20, 1 = none). */
  maxBatch?: number;
}

/** A typed client of every Remit procedure: `client.invoice.list.query({ status: "verified" })`. */
export function createRemitClient(options: RemitClientOptions) {
  return createTRPCClient<ClientRouter>({
    links: [
      httpBatchLink({
        url: `${options.url.replace(/\/$/, "")}/api/trpc`,
        transformer: superjson,
        // The server refuses batches of more than 20 calls.
        maxItems: Math.min(20, options.maxBatch ?? 20),
        // Read on every request: a job client's token is renewed while it works.
        headers: () => ({ authorization: `Bearer ${options.token}` }),
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
    ],
  });
}

export type RemitClient = ReturnType<typeof createRemitClient>;

/**
 * The router's type as the client sees it (router.ts), recovered from the client's own type: the
 * published declarations spell it out there, so this alias names nothing of the server.
 */
export type AppRouter = RemitClient extends TRPCClient<infer R extends AnyRouter> ? R : never;
export type RemitInputs = inferRouterInputs<AppRouter>;
export type RemitOutputs = inferRouterOutputs<AppRouter>;

async function authPost(url: string, path: string, body: unknown, fetchImpl: typeof fetch) {
  const response = await fetchImpl(`${url.replace(/\/$/, "")}/api/auth/${path}`, {
    method: "POST",
    // better-auth refuses state-changing calls without an Origin; a Node caller is the API's own
    // origin (which better-auth trusts), not a browser page.
    headers: { "content-type": "application/json", origin: new URL(url).origin },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    const detail = (await response.json().catch(() => ({}))) as { message?: string };
    const retry = response.headers.get("retry-after");
    throw new Error(
      `${path} failed (${response.status}): ${detail.message ?? response.statusText}${retry ? ` (retry after ${retry} s)` : ""}`,
    );
  }
  return response;
}

/** Signs in with email and password; returns the session token for createRemitClient. */
export async function signIn(
  url: string,
  credentials: { email: string; password: string },
  fetchImpl = fetch,
) {
  const response = await authPost(url, "sign-in/email", credentials, fetchImpl);
  const token = response.headers.get("set-auth-token");
  if (!token) throw new Error("sign-in returned no token");
  return token;
}

/**
 * Creates an account, then signs it in; returns the session token. Sign-up answers the same
 * whether or not the address was already registered (so that it cannot be used to find out), and
 * never signs anyone in by itself: the sign-in that follows is what proves the password.
 */
export async function signUp(
  url: string,
  account: { name: string; email: string; password: string },
  fetchImpl = fetch,
) {
  await authPost(url, "sign-up/email", account, fetchImpl);
  return signIn(url, { email: account.email, password: account.password }, fetchImpl);
}

/** Accepts an invitation (its id is the last segment of the invitation link) as the signed-in user. */
export async function acceptInvitation(
  url: string,
  token: string,
  invitationId: string,
  fetchImpl = fetch,
): Promise<void> {
  const response = await fetchImpl(
    `${url.replace(/\/$/, "")}/api/auth/organization/accept-invitation`,
    {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        origin: new URL(url).origin,
      },
      body: JSON.stringify({ invitationId }),
    },
  );
  if (!response.ok) {
    const detail = (await response.json().catch(() => ({}))) as { message?: string };
    throw new Error(`accept-invitation failed (${response.status}): ${detail.message ?? ""}`);
  }
}

export { csvLine } from "./csv";
export {
  type UploadOutcome,
  type UploadProgress,
  UploadRejectedError,
  type UploadSource,
  uploadInvoice,
} from "./upload";
export {
  createJobClient,
  createWorkerClient,
  DocumentTooLargeError,
  fetchDocument,
  type JobClient,
  putPagePreview,
  type WorkerConnection,
} from "./worker";
