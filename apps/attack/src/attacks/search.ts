import { type Attack, fail, pass } from "../attack";
import { call } from "../http";
import { leaks } from "../world";

/*
 * Search and counts: the victim's own words searched from the attacker's tenant. Nothing comes
 * back and every count is zero. (Searching is not a violation: a search for another tenant's
 * text looks like any other search, so nothing is recorded.)
 */

export const invoiceSearch: Attack = {
  name: "search+counts",
  async run({ world }) {
    const who = { bearer: world.attacker.adminToken };
    for (const q of [world.victim.invoiceNumber, world.victim.supplierName, "victim", "SECRET"]) {
      const answer = await call(world.url, who, "invoice.list", "query", { q });
      if (answer.code !== "OK") return fail(`q=${q}: ${answer.code}`);
      const data = answer.data as { items: unknown[]; counts: Record<string, number> };
      const leaked = leaks(world, data);
      if (leaked) return fail(`LEAK: ${leaked}`);
      if (
        q !== "SECRET" &&
        (data.items.length > 0 || Object.values(data.counts).some((n) => n > 0))
      )
        return fail(`q=${q}: ${data.items.length} items`);
    }
    const all = await call(world.url, who, "invoice.list", "query", { limit: 100 });
    const total = Object.values((all.data as { counts: Record<string, number> }).counts).reduce(
      (a, b) => a + b,
      0,
    );
    const items = (all.data as { items: unknown[] }).items.length;
    if (total !== items) return fail(`counts (${total}) are not the attacker's own ${items}`);
    return pass("empty, counts 0");
  },
};

export const supplierSearch: Attack = {
  name: "search",
  async run({ world }) {
    const who = { bearer: world.attacker.adminToken };
    for (const q of [world.victim.supplierName, "victim", "Supplies"]) {
      const answer = await call(world.url, who, "supplier.search", "query", { q });
      if (answer.code !== "OK") return fail(`q=${q}: ${answer.code}`);
      const leaked = leaks(world, answer.data);
      if (leaked) return fail(`LEAK: ${leaked}`);
      if (q !== "Supplies" && (answer.data as unknown[]).length > 0)
        return fail(`q=${q} found rows`);
    }
    return pass("empty");
  },
};

/** The audit log and the context metrics of the attacker's tenant hold nothing of the victim. */
export const ownViewsOnly: Attack = {
  name: "own-views-only",
  async run({ world, path }) {
    const answer = await call(world.url, { bearer: world.attacker.adminToken }, path, "query", {});
    if (answer.code !== "OK") return fail(answer.code);
    const leaked = leaks(world, answer.data);
    return leaked ? fail(`LEAK: ${leaked}`) : pass("own tenant only");
  },
};
