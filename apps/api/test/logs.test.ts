import { Writable } from "node:stream";
import { createRemitClient, signUp } from "@remit/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../src/logger";
import { type LiveServer, startLiveServer } from "./live-server";

/*
 * Every log line a request writes carries its request id, and its tenant and user once they are
 * resolved. The server logs through the real logger (logger.ts) into a stream this test reads.
 */

const lines: Array<Record<string, unknown>> = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
    done();
  },
});
let live: LiveServer;

beforeAll(async () => {
  live = await startLiveServer({ logger: createLogger("info", sink) });
});

afterAll(async () => {
  await live?.close();
});

describe("request logs", () => {
  it("carry the request id, tenant id and user id, and never mix two tenants", async () => {
    const people = [];
    for (const name of ["log-a", "log-b"]) {
      const email = `${name}-${crypto.randomUUID().slice(0, 8)}@example.test`;
      const token = await signUp(live.url, { name, email, password: "correct horse battery" });
      const client = createRemitClient({ url: live.url, token });
      const tenant = await client.tenant.create.mutate({
        name,
        slug: `${name}-${crypto.randomUUID().slice(0, 8)}`,
      });
      const [me] = await client.member.list.query();
      people.push({ token, tenantId: tenant.id, userId: me?.userId });
    }
    for (const person of people) {
      const requestId = `log-${crypto.randomUUID()}`;
      const response = await fetch(
        `${live.url}/api/trpc/invoice.list?input=${encodeURIComponent('{"json":{}}')}`,
        { headers: { authorization: `Bearer ${person.token}`, "x-request-id": requestId } },
      );
      expect(response.status).toBe(200);
      const mine = lines.filter((l) => l.requestId === requestId);
      expect(mine.length).toBeGreaterThan(0);
      for (const line of mine) {
        expect(line).toMatchObject({ tenantId: person.tenantId, userId: person.userId });
      }
    }
    // Lines outside a request (start-up, shutdown) have no request fields at all.
    expect(lines.every((l) => l.requestId !== undefined || l.tenantId === undefined)).toBe(true);
  });

  it("a request that resolves no tenant carries its request id only", async () => {
    const requestId = `log-${crypto.randomUUID()}`;
    await fetch(`${live.url}/healthz`, { headers: { "x-request-id": requestId } });
    const mine = lines.filter((l) => l.requestId === requestId);
    expect(mine).toHaveLength(1);
    expect(mine[0]).not.toHaveProperty("tenantId");
    expect(mine[0]).not.toHaveProperty("userId");
  });
});
