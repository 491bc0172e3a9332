import { createRemitClient } from "@remit/client";
import { type Attack, fail, pass } from "../attack";
import { newRequestId } from "../http";
import { attackerJwt, withForgedTenant } from "../tokens";
import type { World } from "../world";

/*
 * The live invoice stream (Server-Sent Events): subscribed to with a forged tenant header, with a
 * tampered token, and with a removed member's session. While the attacker listens, the victim
 * and the attacker each create an invoice: the attacker's stream carries its own event (so the
 * stream works) and nothing of the victim's.
 */

async function listen(
  world: World,
  bearer: string,
  headers: Record<string, string>,
  during: () => Promise<void>,
) {
  const requestId = newRequestId("events");
  const controller = new AbortController();
  const response = await fetch(`${world.url}/api/trpc/events.invoices`, {
    headers: { authorization: `Bearer ${bearer}`, "x-request-id": requestId, ...headers },
    signal: controller.signal,
  });
  let text = "";
  const reading = (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body ?? []) text += decoder.decode(chunk as Uint8Array);
    } catch {
      // aborted
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, 300));
  await during();
  await new Promise((resolve) => setTimeout(resolve, 700));
  controller.abort();
  await reading;
  return { status: response.status, text, requestId };
}

export const streamAttacks: Attack = {
  name: "sse",
  legit: true,
  async run({ world }) {
    const victim = createRemitClient({ url: world.url, token: world.victim.adminToken });
    const own = createRemitClient({ url: world.url, token: world.attacker.adminToken });
    let victimInvoice = "";
    let ownInvoice = "";
    const forged = await listen(
      world,
      world.attacker.adminToken,
      { "x-tenant-id": world.victim.id },
      async () => {
        victimInvoice = (
          await victim.invoice.create.mutate({ invoiceNumber: "LIVE", lineItems: [] })
        ).id;
        ownInvoice = (await own.invoice.create.mutate({ invoiceNumber: "LIVE", lineItems: [] })).id;
      },
    );
    if (forged.text.includes(victimInvoice))
      return fail("LEAK: the victim's event reached the attacker");
    if (!forged.text.includes(ownInvoice))
      return fail(`the attacker's own event did not arrive (${forged.status})`);
    const tampered = await listen(
      world,
      withForgedTenant(await attackerJwt(world), world.victim.id),
      {},
      async () => {
        victimInvoice = (
          await victim.invoice.create.mutate({ invoiceNumber: "LIVE", lineItems: [] })
        ).id;
      },
    );
    if (tampered.text.includes(victimInvoice)) return fail("LEAK: tampered token heard the victim");
    if (!/UNAUTHORIZED/.test(tampered.text) && tampered.status !== 401)
      return fail(`tampered: ${tampered.status}`);
    const removed = await listen(world, world.leaverToken, {}, async () => {
      victimInvoice = (await victim.invoice.create.mutate({ invoiceNumber: "LIVE", lineItems: [] }))
        .id;
    });
    if (removed.text.includes(victimInvoice))
      return fail("LEAK: a removed member heard the victim");
    if (!/FORBIDDEN/.test(removed.text) && removed.status !== 403)
      return fail(`removed: ${removed.status}`);
    return pass("own events only; refused", [
      { requestId: forged.requestId, kinds: ["forged_tenant_header"] },
      { requestId: tampered.requestId, kinds: ["invalid_credential"] },
      { requestId: removed.requestId, kinds: ["tenant_claim_mismatch"] },
    ]);
  },
};
