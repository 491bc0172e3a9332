import { createRemitClient } from "@remit/client";
import { type Attack, fail, pass } from "../attack";
import { call, revealsInternals } from "../http";
import type { World } from "../world";

/*
 * [5/7] Webhooks as a way in: a URL a tenant names is one the server will POST to. The API runs
 * with the operator's flags off, so every target on loopback, a private network, link-local
 * (the cloud metadata service), a name resolving to loopback, or plain http must be refused at
 * registration (and on update) with a sentence, and nothing registered.
 */

export const ssrfTargets = [
  "https://127.0.0.1/hook",
  "https://169.254.169.254/latest/meta-data/",
  "https://[::1]/hook",
  "https://[::ffff:169.254.169.254]/hook",
  "https://10.0.0.1/hook",
  "https://192.168.1.1/hook",
  "https://2130706433/hook",
  "https://localhost/hook",
  "http://93.184.215.14/plain-http",
];

const sentence = /address|https|resolve/;

export const webhookSsrf: Attack = {
  name: "ssrf-targets",
  async run({ world, path, type }) {
    const who = { bearer: world.attacker.adminToken };
    const own = createRemitClient({ url: world.url, token: world.attacker.adminToken });
    const before = (await own.webhook.list.query()).endpoints.length;
    const updateOf =
      path === "webhook.update" ? (await own.webhook.list.query()).endpoints[0]?.id : undefined;
    for (const url of ssrfTargets) {
      const input =
        path === "webhook.update"
          ? { id: updateOf, data: { url } }
          : { url, events: ["invoice.submitted"], enabled: false };
      const answer = await call(world.url, who, path, type, input);
      if (answer.code !== "BAD_REQUEST") return fail(`${url}: got ${answer.code}`);
      if (!sentence.test(answer.message)) return fail(`${url}: no sentence (${answer.message})`);
      if (revealsInternals(answer)) return fail(`${url}: reveals internals: ${answer.message}`);
    }
    const after = await own.webhook.list.query();
    if (after.endpoints.length !== before) return fail("an endpoint was registered");
    if (
      after.endpoints.some((e) =>
        ssrfTargets.some((t) => e.url.startsWith(t.split("/hook")[0] ?? t)),
      )
    )
      return fail("an endpoint points at a refused target");
    return pass(`${ssrfTargets.length} targets refused with a sentence (BAD_REQUEST)`);
  },
};

export const ownWebhookEndpoint = async (w: World) => ({
  id: (
    await createRemitClient({ url: w.url, token: w.attacker.adminToken }).webhook.create.mutate({
      url: "https://93.184.215.14/attacker-throwaway",
      events: ["invoice.submitted"],
      enabled: false,
    })
  ).endpoint.id,
});
