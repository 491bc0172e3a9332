import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { lateMessage, lateTrpcResponse, withDeadline } from "../src/deadline";

/* A handler that never settles still gets the caller an answer, in tRPC's wire format. */

describe("the request deadline", () => {
  it("answers for a handler that never settles", async () => {
    const never = new Promise<Response>(() => {});
    const answer = withDeadline(never, 50, () => new Response("late", { status: 503 }));
    // "Within a second", told by timer order rather than by the wall clock: Node fires timers in
    // the order they expire, so the 50 ms deadline answers before a 1 s timer set after it, however
    // busy the machine.
    const second = sleep(1000).then(() => "a second passed" as const);
    const response = await Promise.race([answer, second]);
    expect(response).toBeInstanceOf(Response);
    expect((response as Response).status).toBe(503);
  });

  it("passes a prompt answer through untouched", async () => {
    const response = await withDeadline(Promise.resolve(new Response("ok")), 1000, () => {
      throw new Error("not late");
    });
    expect(await response.text()).toBe("ok");
  });

  it("speaks tRPC: one SERVICE_UNAVAILABLE per call of a batch", async () => {
    const batch = lateTrpcResponse(
      new URL("http://x/api/trpc/invoice.list,supplier.list?batch=1&input=%7B%7D"),
    );
    expect(batch.status).toBe(503);
    const body = (await batch.json()) as Array<{
      error: { json: { message: string; data: { code: string; path: string } } };
    }>;
    expect(body.map((b) => b.error.json.data)).toMatchObject([
      { code: "SERVICE_UNAVAILABLE", path: "invoice.list" },
      { code: "SERVICE_UNAVAILABLE", path: "supplier.list" },
    ]);
    expect(body[0]?.error.json.message).toBe(lateMessage);
  });
});
