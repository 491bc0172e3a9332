import { createRemitClient } from "@remit/client";
import { type Attack, fail, pass } from "../attack";

/*
 * A tenant switch racing a mutation. A person in both tenants switches back and forth while
 * creating invoices that name the attacker-side tenant's supplier. Each create must land wholly
 * in one tenant: in B with B's supplier, or nowhere (NOT_FOUND: B's supplier does not exist in
 * A). Never an invoice in A pointing at B's supplier, never one that is in both or lost.
 */
export const switchRace: Attack = {
  name: "switch-race",
  legit: true,
  async run({ world }) {
    const dual = createRemitClient({ url: world.url, token: world.dualToken });
    const tag = `RACE-${crypto.randomUUID().slice(0, 6)}`;
    let created = 0;
    let refused = 0;
    for (let i = 0; i < 12; i++) {
      const target = i % 2 === 0 ? world.victim.id : world.attacker.id;
      const [, made] = await Promise.allSettled([
        dual.tenant.switch.mutate({ tenantId: target }),
        dual.invoice.create.mutate({
          invoiceNumber: `${tag}-${i}`,
          supplierId: world.attacker.supplierId,
          lineItems: [],
        }),
      ]);
      if (made.status === "fulfilled") {
        created++;
        if (
          made.value.tenantId !== world.attacker.id ||
          made.value.supplierId !== world.attacker.supplierId
        )
          return fail(
            `invoice ${i} landed in ${made.value.tenantId} with supplier ${made.value.supplierId}`,
          );
      } else refused++;
    }
    const seen = async (token: string) =>
      (
        await createRemitClient({ url: world.url, token }).invoice.list.query({
          q: tag,
          limit: 100,
        })
      ).items;
    const inVictim = await seen(world.victim.adminToken);
    const inAttacker = await seen(world.attacker.adminToken);
    if (inVictim.length > 0)
      return fail(`${inVictim.length} race invoices landed in the victim's tenant`);
    if (inAttacker.length !== created)
      return fail(`${created} created, ${inAttacker.length} found`);
    await dual.tenant.switch.mutate({ tenantId: world.attacker.id });
    return pass(`${created} in B, ${refused} refused, 0 split`);
  },
};
