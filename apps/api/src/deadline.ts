import { setTimeout as sleep } from "node:timers/promises";

/**
 * Answers for a request when its handler has not within `ms`: a database connection lost at the
 * wrong moment (a PostgreSQL restart mid-statement) can leave a driver promise that never
 * settles, and a caller must get a sentence rather than wait forever. The handler's own work is
 * abandoned, not cancelled; its transaction, if any, ended with the connection.
 */
export async function withDeadline(
  work: Promise<Response>,
  ms: number,
  late: () => Response,
): Promise<Response> {
  const timer = new AbortController();
  const outcome = await Promise.race([
    work.then((response) => ({ response })),
    sleep(ms, null, { signal: timer.signal }).catch(() => null),
  ]);
  timer.abort();
  return outcome ? outcome.response : late();
}

export const lateMessage = "the server could not answer in time; try again";

/**
 * The late answer in tRPC's own wire format (superjson, one entry per call of a batch), so the
 * typed client reports SERVICE_UNAVAILABLE with the sentence instead of a parse error.
 */
export function lateTrpcResponse(url: URL): Response {
  const paths = decodeURIComponent(url.pathname.replace(/^\/api\/trpc\//, "")).split(",");
  const error = (path: string) => ({
    error: {
      json: {
        message: lateMessage,
        code: -32603,
        data: { code: "SERVICE_UNAVAILABLE", httpStatus: 503, path },
      },
    },
  });
  const batch = url.searchParams.get("batch") === "1";
  const body = batch ? paths.map(error) : error(paths[0] ?? "");
  return new Response(JSON.stringify(body), {
    status: 503,
    headers: { "content-type": "application/json" },
  });
}
