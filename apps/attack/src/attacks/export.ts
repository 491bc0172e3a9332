import { type Attack, fail, pass } from "../attack";
import { newRequestId } from "../http";
import { leaks, type World } from "../world";

/*
 * GET /api/invoices/export: the attacker names the victim's invoice ids (alone, mixed with its
 * own, in CSV and UBL), exports everything it may, and tries with the former member's session,
 * a job token and no credential. No answer may carry anything of the victim; the victim's own
 * export is the control that the route works.
 */

async function exportAs(world: World, bearer: string | null, query: string) {
  const response = await fetch(`${world.url}/api/invoices/export?${query}`, {
    headers: {
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      "x-request-id": newRequestId("export"),
    },
  });
  return { status: response.status, body: await response.text() };
}

export const exportAttacks: Attack = {
  name: "export-other-tenant",
  async run({ world }) {
    const victimIds = `${world.victim.invoiceId},${world.victim.uploadedInvoiceId}`;
    const own = world.attacker.invoiceId;
    const attacker = world.attacker.adminToken;
    const tries: Array<[string, string | null, string, number[]]> = [
      ["victim's ids as CSV", attacker, `format=csv&ids=${victimIds}`, [404]],
      ["victim's ids as UBL", attacker, `format=ubl&ids=${victimIds}`, [404]],
      ["own and victim's ids, CSV", attacker, `format=csv&ids=${own},${victimIds}`, [200]],
      ["own and victim's ids, UBL", attacker, `format=ubl&ids=${own},${victimIds}`, [200]],
      ["everything, CSV", attacker, "format=csv", [200]],
      ["everything approved, UBL", attacker, "format=ubl&status=approved_to_ap", [200, 404]],
      ["former member's session", world.leaverToken, `format=csv&ids=${victimIds}`, [401, 403]],
      ["a job token", world.attacker.job.token, `format=csv&ids=${victimIds}`, [401, 403]],
      ["no credential", null, `format=csv&ids=${victimIds}`, [401]],
    ];
    for (const [label, bearer, query, statuses] of tries) {
      const answer = await exportAs(world, bearer, query);
      if (!statuses.includes(answer.status)) return fail(`${label}: ${answer.status}`);
      const leaked = leaks(world, answer.body);
      if (leaked) return fail(`${label}: the answer carries ${leaked}`);
    }
    const control = await exportAs(
      world,
      world.victim.adminToken,
      `format=csv&ids=${world.victim.invoiceId}`,
    );
    if (control.status !== 200 || !control.body.includes(world.victim.invoiceNumber)) {
      return fail(`the victim's own export answered ${control.status}`);
    }
    return pass(`${tries.length} tries, nothing of the victim (victim's own: 200)`);
  },
};
