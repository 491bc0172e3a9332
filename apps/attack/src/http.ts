import type { AppRouter } from "@remit/api";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import superjson from "superjson";

/*
 * The attacker's transport: the typed client's own link (httpBatchLink + superjson), with
 * whatever headers an attacker likes. Every call carries an x-request-id of our choosing, so the
 * violations it sets off can be looked up afterwards by that id.
 */

export interface Answer {
  code: string;
  message: string;
  data: unknown;
  requestId: string;
  ms: number;
}

export interface Credentials {
  /** A session token, a JWT, a job token, the worker or operator secret; null: anonymous. */
  bearer: string | null;
  headers?: Record<string, string>;
}

let sequence = 0;
export const newRequestId = (label: string) =>
  `atk-${label.replace(/[^\w.-]/g, "_").slice(0, 40)}-${++sequence}`;

export function clientFor(url: string, who: Credentials, requestId: string) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${url}/api/trpc`,
        transformer: superjson,
        // A batch of many GETs is split rather than sent as one URL longer than Node accepts.
        maxURLLength: 4000,
        // The server refuses batches of more than 20 calls (the request-limits attack tries).
        maxItems: 20,
        headers: () => ({
          ...(who.bearer ? { authorization: `Bearer ${who.bearer}` } : {}),
          "x-request-id": requestId,
          ...who.headers,
        }),
      }),
    ],
  });
}

type Client = ReturnType<typeof clientFor>;
export type ProcedureType = "query" | "mutation" | "subscription";

/** Calls `path` by name on a client (the attack table names procedures, not methods). */
export function invoke(client: Client, path: string, type: ProcedureType, input: unknown) {
  const [noun, verb] = path.split(".") as [string, string];
  const group = (client as unknown as Record<string, Record<string, Record<string, unknown>>>)[
    noun
  ];
  const fn = group?.[verb]?.[type === "query" ? "query" : "mutate"] as
    | ((input: unknown) => Promise<unknown>)
    | undefined;
  if (!fn) throw new Error(`no procedure ${path}`);
  return fn(input);
}

async function settle(promise: Promise<unknown>, requestId: string, started: number) {
  try {
    const data = await promise;
    return { code: "OK", message: "", data, requestId, ms: performance.now() - started };
  } catch (error) {
    if (error instanceof TRPCClientError) {
      const shape = error.data as { code?: string; stack?: unknown } | undefined;
      return {
        code: shape?.code ?? "TRANSPORT",
        message: error.message,
        data: error.data,
        requestId,
        ms: performance.now() - started,
      };
    }
    return {
      code: "THROWN",
      message: String(error),
      data: null,
      requestId,
      ms: performance.now() - started,
    };
  }
}

/** One call, one HTTP request, one request id. */
export async function call(
  url: string,
  who: Credentials,
  path: string,
  type: ProcedureType,
  input: unknown,
  label = path,
): Promise<Answer> {
  const requestId = newRequestId(label);
  const started = performance.now();
  return settle(invoke(clientFor(url, who, requestId), path, type, input), requestId, started);
}

/** Several calls in one batched HTTP request (httpBatchLink joins calls of the same tick). */
export async function batch(
  url: string,
  who: Credentials,
  path: string,
  type: ProcedureType,
  inputs: unknown[],
): Promise<Answer[]> {
  const requestId = newRequestId(`${path}-batch`);
  const client = clientFor(url, who, requestId);
  const started = performance.now();
  return Promise.all(
    inputs.map((input) => settle(invoke(client, path, type, input), requestId, started)),
  );
}

const leakPatterns = [
  /\n\s+at /,
  /\b(select|insert|update|delete)\b.*\b(from|into|set)\b/i,
  /violates|constraint|relation "|sqlstate|postgres/i,
];

/** An error answer that shows a stack, SQL or a database message: a finding of its own. */
export function revealsInternals(answer: Answer): boolean {
  if (answer.code === "OK") return false;
  const text = `${answer.message} ${JSON.stringify(answer.data ?? {})}`;
  return leakPatterns.some((pattern) => pattern.test(text)) || text.includes('"stack"');
}
