/**
 * Answers for a request when its handler has not within `ms`: a database connection lost at the
 * wrong moment (a PostgreSQL restart mid-statement) can leave a driver promise that never
 * settles, and a caller must get a sentence rather than wait forever. The handler's own work is
 * abandoned, not cancelled; its transaction, if any, ended with the connection.
 *
 * A plain timer, cleared once the work answers: an abortable timers/promises sleep cost an
 * AbortController and an AbortError (a DOMException with its stack) on every request, about 3 %
 * of the server's CPU on a small call (docs/benchmarks.md).
 */
export async function withDeadline(
  work: Promise<Response>,
  ms: number,
  late: () => Response,
): Promise<Response> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<null>((resolve) => {
    timer = setTimeout(resolve, ms, null);
  });
  try {
    const outcome = await Promise.race([work.then((response) => ({ response })), deadline]);
    return outcome ? outcome.response : late();
  } finally {
    clearTimeout(timer);
  }
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
