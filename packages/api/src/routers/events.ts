import { TRPCError } from "@trpc/server";
import { identify } from "../context";
import { resolveTenant } from "../tenant-context";
import { canOnPlatform, router } from "../trpc";

/** How often a live stream re-checks that its caller still belongs to the tenant. */
const revalidateEveryMs = 15_000;

export const eventsRouter = router({
  /**
   * The tenant's invoice and OCR job events, live (Server-Sent Events through tRPC). The tenant
   * is the channel, so nothing of another tenant can arrive; and before an event is passed on,
   * the caller's session and membership are checked again (at most every 15 s), so a member
   * removed mid-stream stops hearing anything.
   */
  invoices: canOnPlatform("invoice:read").subscription(async function* ({ ctx, signal }) {
    let checkedAt = Date.now();
    for await (const event of ctx.deps.events.subscribe(ctx.tenantId, signal)) {
      if (Date.now() - checkedAt > revalidateEveryMs) {
        const caller = await identify(ctx.deps, ctx.headers);
        const again = caller ? await resolveTenant(ctx.deps, caller) : null;
        if (!again?.ok || again.tenantId !== ctx.tenantId) {
          throw new TRPCError({
            code: "FORBIDDEN",
            message: "your access to this tenant has ended",
          });
        }
        checkedAt = Date.now();
      }
      // A spread, so the client's types see the event's shape rather than a server type's name.
      yield { ...event };
    }
  }),
});
