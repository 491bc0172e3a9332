import { createRemitClient, signUp } from "@remit/client";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { type LiveServer, startLiveServer } from "./live-server";

/*
 * The live event stream over real HTTP, as a browser's EventSource would read it: Server-Sent
 * Events from tRPC's fetch adapter, carrying the tenant's own events and nobody else's.
 */

let live: LiveServer;
// Waiting for a subscription to register is waiting for a fact, polled; the bound is only how
// long a stuck run takes to fail (vi.waitFor's default of 1 s is a bet on a busy machine).
const subscribed = { timeout: 30_000, interval: 10 };

beforeAll(async () => {
  live = await startLiveServer();
});

afterAll(async () => {
  await live?.close();
});

async function member(label: string) {
  const email = `${label}-${crypto.randomUUID().slice(0, 8)}@example.test`;
  const token = await signUp(live.url, { name: label, email, password: "correct horse battery" });
  const client = createRemitClient({ url: live.url, token });
  const tenant = await client.tenant.create.mutate({
    name: label,
    slug: `${label}-${crypto.randomUUID().slice(0, 8)}`,
  });
  return { token, client, tenantId: tenant.id };
}

/**
 * Opens the SSE stream and collects its `data:` lines until `stop` is aborted; `seen(text)`
 * settles when a line containing `text` has arrived.
 */
async function listen(token: string, stop: AbortSignal) {
  const response = await fetch(`${live.url}/api/trpc/events.invoices`, {
    headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" },
    signal: stop,
  });
  const data: string[] = [];
  const waiting: Array<{ text: string; resolve: () => void }> = [];
  const done = (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body ?? []) {
        for (const line of decoder.decode(chunk as Uint8Array).split("\n")) {
          if (!line.startsWith("data:")) continue;
          data.push(line.slice(5).trim());
          for (const waiter of waiting.filter((w) => line.includes(w.text))) waiter.resolve();
        }
      }
    } catch {
      // aborted
    }
  })();
  const seen = (text: string) =>
    data.some((d) => d.includes(text))
      ? Promise.resolve()
      : new Promise<void>((resolve) => waiting.push({ text, resolve }));
  return { response, data, done, seen };
}

it("streams the tenant's invoice events as SSE, and none of another tenant's", async () => {
  const a = await member("sse-a");
  const b = await member("sse-b");
  const stop = new AbortController();
  const streamA = await listen(a.token, stop.signal);
  const streamB = await listen(b.token, stop.signal);
  expect(streamA.response.status).toBe(200);
  expect(streamA.response.headers.get("content-type")).toMatch(/text\/event-stream/);

  // Publish only once both subscriptions are registered on the server: an event published
  // before that reaches nobody.
  await vi.waitFor(() => {
    expect(live.deps.events.listenerCount(a.tenantId)).toBe(1);
    expect(live.deps.events.listenerCount(b.tenantId)).toBe(1);
  }, subscribed);
  const created = await a.client.invoice.create.mutate({ invoiceNumber: "SSE-1", lineItems: [] });
  await streamA.seen(created.id);
  stop.abort();
  await Promise.all([streamA.done, streamB.done]);
  expect(streamA.data.some((d) => d.includes(created.id) && d.includes("invoice.created"))).toBe(
    true,
  );
  expect(streamB.data.some((d) => d.includes(created.id))).toBe(false);
});

it("refuses a caller without a tenant session", async () => {
  const response = await fetch(`${live.url}/api/trpc/events.invoices`, {
    headers: { accept: "text/event-stream" },
  });
  const text = await response.text();
  expect(text).toMatch(/UNAUTHORIZED|sign in first/);
});
