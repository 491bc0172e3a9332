import superjson from "superjson";

/*
 * One tRPC procedure call as one plain HTTP request (no batching), so that every request the
 * load generator counts is exactly one request the server answered, with its own status.
 */

export type Outcome =
  | { ok: true; status: number; data: unknown }
  | { ok: false; status: number; kind: string; message: string };

export async function call(
  url: string,
  token: string,
  path: string,
  type: "query" | "mutation",
  input: unknown,
  timeoutMs: number,
): Promise<Outcome> {
  const encoded = JSON.stringify(superjson.serialize(input));
  const target =
    type === "query"
      ? `${url}/api/trpc/${path}?input=${encodeURIComponent(encoded)}`
      : `${url}/api/trpc/${path}`;
  let response: Response;
  let text: string;
  try {
    response = await fetch(target, {
      method: type === "query" ? "GET" : "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: type === "query" ? undefined : encoded,
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    const name = (error as Error).name;
    if (name === "TimeoutError" || name === "AbortError") {
      return { ok: false, status: 0, kind: "timeout", message: `no answer in ${timeoutMs} ms` };
    }
    const cause = (error as { cause?: { code?: string } }).cause;
    return {
      ok: false,
      status: 0,
      kind: "network",
      message: cause?.code ?? (error as Error).message,
    };
  }
  let body: { result?: { data?: unknown }; error?: { json?: { message?: string } } };
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, status: response.status, kind: "not-json", message: text.slice(0, 120) };
  }
  if (response.ok && body.result) {
    return {
      ok: true,
      status: response.status,
      data: superjson.deserialize(body.result.data as Parameters<typeof superjson.deserialize>[0]),
    };
  }
  return {
    ok: false,
    status: response.status,
    kind: `http ${response.status}`,
    message: body.error?.json?.message ?? text.slice(0, 120),
  };
}
