import { createRemitClient } from "@remit/client";
import { type Attack, fail, pass } from "../attack";
import { call, revealsInternals } from "../http";
import { leaks } from "../world";

/*
 * invoice.bulk with the victim's invoice ids among the attacker's own, for every step: the call
 * answers, each of the victim's ids is refused on its own (NOT_FOUND, the same sentence as for a
 * random id), and each is recorded by the isolation monitor. The victim's tenant is compared
 * before and after by the suite, as for every attack: nothing of it may change.
 */

const steps = [
  { action: "submit" },
  { action: "verify" },
  { action: "approve" },
  { action: "reject", reason: "pwned" },
  { action: "delete" },
] as const;

interface BulkAnswer {
  results: Array<{ id: string; ok: boolean; code?: string; message?: string }>;
}

export const bulkAttack: Attack = {
  name: "bulk-foreign-ids",
  async run({ world, path }) {
    const own = await createRemitClient({
      url: world.url,
      token: world.attacker.adminToken,
    }).invoice.create.mutate({ lineItems: [] });
    const random = crypto.randomUUID();
    const foreign = [world.victim.invoiceId, world.victim.uploadedInvoiceId];
    const violations = [];
    for (const step of steps) {
      const answer = await call(
        world.url,
        { bearer: world.attacker.adminToken },
        path,
        "mutation",
        {
          ...step,
          ids: [...foreign, own.id, random],
        },
      );
      if (answer.code !== "OK") return fail(`${step.action}: ${answer.code} ${answer.message}`);
      const { results } = answer.data as BulkAnswer;
      // Each result names the id the attacker sent (no news to them); nothing else may be the
      // victim's.
      const leaked = leaks(
        world,
        results.map(({ id: _, ...rest }) => rest),
      );
      if (leaked) return fail(`LEAK: ${leaked}`);
      if (revealsInternals(answer)) return fail(`reveals internals: ${answer.message}`);
      const byId = new Map(results.map((r) => [r.id, r]));
      const baseline = byId.get(random);
      if (!baseline || baseline.ok || baseline.code !== "NOT_FOUND") {
        return fail(`${step.action}: a random id answered ${baseline?.code ?? "nothing"}`);
      }
      for (const id of foreign) {
        const got = byId.get(id);
        if (!got || got.ok) return fail(`${step.action}: the victim's invoice was acted on`);
        if (got.code !== baseline.code || got.message !== baseline.message) {
          return fail(`${step.action}: "${got.code}: ${got.message}" differs from a random id's`);
        }
      }
      violations.push({ requestId: answer.requestId, kinds: ["cross_tenant_id"] });
    }
    return pass(`NOT_FOUND per foreign id ×${steps.length} steps`, violations);
  },
};
