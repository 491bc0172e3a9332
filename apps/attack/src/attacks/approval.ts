import { type Attack, fail, pass } from "../attack";
import { call } from "../http";
import { leaks } from "../world";

/*
 * Approval settings and approvals ([5/7]) are the tenant's own: the attacker's admin reads only
 * its own policy, and writing its own (bands, relaxed separation of duties) changes nothing of
 * the victim's. The victim's approvals and invoices answer NOT_FOUND through the generic rows
 * (invoice.approve, invoice.get), and the victim's fingerprint includes its settings.
 */
export const approvalPolicyIsolation: Attack = {
  name: "approval-policy",
  async run({ world }) {
    const attacker = { bearer: world.attacker.adminToken };
    const victim = { bearer: world.victim.adminToken };
    const before = await call(world.url, victim, "settings.get", "query", undefined);
    if (before.code !== "OK") return fail(`victim read: ${before.code}`);
    const writes = [
      await call(world.url, attacker, "settings.setApprovalBands", "mutation", {
        bands: [{ currency: "XTS", minTotal: "0.00", requiredApprovals: 1, requireAdmin: false }],
      }),
      await call(world.url, attacker, "settings.setSeparationOfDuties", "mutation", {
        enabled: false,
      }),
    ];
    const refused = writes.find((w) => w.code !== "OK");
    if (refused) return fail(`own write: ${refused.code}`);
    const seen = await call(world.url, attacker, "settings.get", "query", undefined);
    if (seen.code !== "OK") return fail(`own read: ${seen.code}`);
    const leaked = leaks(world, seen.data);
    if (leaked) return fail(`LEAK: ${leaked}`);
    const bands = (seen.data as { bands: Array<{ minTotal: string }> }).bands;
    if (bands.length !== 1 || bands[0]?.minTotal !== "0.00") {
      return fail(`attacker sees ${bands.length} bands`);
    }
    const after = await call(world.url, victim, "settings.get", "query", undefined);
    if (JSON.stringify(after.data) !== JSON.stringify(before.data)) {
      return fail("the victim's approval settings changed");
    }
    // The attacker's own tenant back as it was, for the attacks after this one.
    await call(world.url, attacker, "settings.setApprovalBands", "mutation", { bands: [] });
    await call(world.url, attacker, "settings.setSeparationOfDuties", "mutation", {
      enabled: true,
    });
    return pass("own policy only; victim's unchanged");
  },
};
