import { createRemitClient, signUp } from "@remit/client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { metricsAccess } from "../src/metrics-access";
import { pdf } from "./files";
import { type LiveServer, startLiveServer } from "./live-server";

/*
 * /metrics over HTTP: who may scrape it, what it counts, and that no tenant id, user id or email
 * ever becomes a label value, after real traffic from two tenants (tRPC, upload, a download link,
 * a preview PUT with an id in its path, a forged tenant header).
 */

const metricsToken = "metrics-token-0123456789abcdef";
let live: LiveServer;
let url: string;
const password = "correct horse battery";

beforeAll(async () => {
  live = await startLiveServer({ metricsToken });
  url = live.url;
});

afterAll(async () => {
  await live?.close();
});

async function tenantAdmin(name: string) {
  const email = `${name}-${crypto.randomUUID().slice(0, 8)}@example.test`;
  const token = await signUp(url, { name, email, password });
  const client = createRemitClient({ url, token });
  const tenant = await client.tenant.create.mutate({
    name: `Tenant ${name}`,
    slug: `${name}-${crypto.randomUUID().slice(0, 8)}`,
  });
  const [me] = await client.member.list.query();
  return { token, client, email, tenantId: tenant.id, userId: me?.userId ?? "" };
}

const scrape = (bearer = metricsToken) =>
  fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${bearer}` } });

describe("who may scrape /metrics", () => {
  it("with METRICS_TOKEN set: its bearer only", async () => {
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    expect((await scrape("not-the-metrics-token-0123456789")).status).toBe(401);
    const ok = await scrape();
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toMatch(/^text\/plain/);
  });

  it("without it: loopback only, and not through a proxy", () => {
    const loopback = (ip: string, headers: Record<string, string> = {}) =>
      metricsAccess(undefined, { ip, headers: new Headers(headers) });
    expect(loopback("127.0.0.1")).toBe("ok");
    expect(loopback("::1")).toBe("ok");
    expect(loopback("::ffff:127.0.0.1")).toBe("ok");
    expect(loopback("10.0.0.7")).toBe("hidden");
    expect(metricsAccess(undefined, { ip: null, headers: new Headers() })).toBe("hidden");
    expect(loopback("127.0.0.1", { "x-forwarded-for": "203.0.113.9" })).toBe("hidden");
    expect(loopback("127.0.0.1", { forwarded: "for=203.0.113.9" })).toBe("hidden");
  });
});

describe("after traffic from two tenants", () => {
  it("counts it by path, route pattern, outcome and kind, and names nobody", async () => {
    const a = await tenantAdmin("metrics-a");
    const b = await tenantAdmin("metrics-b");
    for (const who of [a, b]) {
      await who.client.invoice.create.mutate({ invoiceNumber: `M-${who.tenantId}`, lineItems: [] });
      await who.client.invoice.list.query({});
      const form = new FormData();
      form.append(
        "file",
        new Blob([new Uint8Array(await pdf())], { type: "application/pdf" }),
        "a.pdf",
      );
      const uploaded = await fetch(`${url}/api/invoices/upload`, {
        method: "POST",
        headers: { authorization: `Bearer ${who.token}` },
        body: form,
      });
      expect(uploaded.status).toBe(201);
    }
    // An id in a path, a refused link, a forged tenant header.
    const jobId = crypto.randomUUID();
    await fetch(`${url}/api/jobs/${jobId}/pages/1`, { method: "PUT", body: "x" });
    await fetch(`${url}/api/files?key=${a.tenantId}/x&sig=bad`);
    await fetch(`${url}/api/trpc/invoice.list?input=${encodeURIComponent('{"json":{}}')}`, {
      headers: { authorization: `Bearer ${b.token}`, "x-tenant-id": a.tenantId },
    });
    await fetch(`${url}/no/such/${a.email}`);
    await live.deps.recorder.flush();
    await live.deps.monitor.flush();

    // Gauges are read from the database at most every 5 s: move the server's clock (it runs in
    // this process) past a cached read taken before both uploads had committed (an earlier
    // scrape may have cached it). Only Date is faked: the database and every timer run as they do.
    const queuedIn = (text: string) =>
      Number(/remit_ocr_queue_jobs\{status="queued"\} (\d+)/.exec(text)?.[1] ?? 0);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 5001 });
    let body = "";
    try {
      body = await (await scrape()).text();
    } finally {
      vi.useRealTimers();
    }
    expect(body).toMatch(
      /remit_trpc_request_duration_seconds_count\{path="invoice\.create",code="OK"\} 2/,
    );
    expect(body).toMatch(
      /remit_http_request_duration_seconds_count\{method="POST",route="\/api\/invoices\/upload",status="201"\} 2/,
    );
    expect(body).toContain('route="/api/jobs/:jobId/pages/:page"');
    expect(body).toContain('route="/api/files"');
    expect(body).toContain('route="unmatched"');
    expect(body).toMatch(/remit_tenant_context_outcomes_total\{outcome="ok"\} \d+/);
    expect(body).toMatch(/remit_isolation_violations_total\{kind="forged_tenant_header"\} 1/);
    expect(queuedIn(body)).toBeGreaterThanOrEqual(2);
    expect(body).toMatch(/remit_ocr_jobs_leased \d+/);

    for (const personal of [a.tenantId, b.tenantId, a.userId, b.userId, a.email, b.email, jobId]) {
      expect(personal.length).toBeGreaterThan(5);
      expect(body).not.toContain(personal);
    }
    expect(body.toLowerCase()).not.toContain("@example.test");
  });

  it("/readyz reports tenant-context health and stays ready when it is degraded", async () => {
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    const json = (await ready.json()) as { status: string; tenantContext: Record<string, unknown> };
    expect(json.status).toBe("ready");
    expect(json.tenantContext).toMatchObject({ window: "5m" });
    expect(["ok", "degraded", "no_traffic"]).toContain(json.tenantContext.status);
    expect(json.tenantContext).toHaveProperty("coverage");
    expect(json.tenantContext).toHaveProperty("repairRate");
    expect(json.tenantContext).toHaveProperty("repairSuccess");
  });
});
