import { createRemitClient } from "@remit/client";
import { type Attack, fail, pass } from "../attack";
import { newRequestId } from "../http";
import { tamperedJobToken } from "../tokens";
import type { World } from "../world";

/*
 * Signed download links (GET /api/files): the victim's own link in other hands, links with their
 * query forged (another tenant's key, `..`, another tenant), and the holder's own replay as the
 * control that links do work. Every refusal is the same 404.
 */

async function get(link: string, bearer: string | null, label: string) {
  const requestId = newRequestId(label);
  const response = await fetch(link, {
    headers: {
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      "x-request-id": requestId,
    },
  });
  const body = await response.text();
  return { status: response.status, body, requestId };
}

async function linkOf(world: World, token: string, invoiceId: string) {
  const client = createRemitClient({ url: world.url, token });
  return (await client.invoice.fileUrl.query({ id: invoiceId })).url;
}

function withParam(link: string, name: string, value: string): string {
  const url = new URL(link);
  url.searchParams.set(name, value);
  return url.toString();
}

export const signedUrlAttacks: Attack = {
  name: "signed-urls",
  async run({ world }) {
    const theirs = await linkOf(world, world.victim.adminToken, world.victim.uploadedInvoiceId);
    const ours = await linkOf(world, world.attacker.adminToken, world.attacker.uploadedInvoiceId);
    const victimKey = new URL(theirs).searchParams.get("k") ?? "";
    const ourKey = new URL(ours).searchParams.get("k") ?? "";
    const ourTenant = world.attacker.id;
    const tries: Array<[string, string, string | null, string]> = [
      [
        "victim's link, attacker's session",
        theirs,
        world.attacker.adminToken,
        "file_link_mismatch",
      ],
      ["victim's link, anonymous replay", theirs, null, "file_link_mismatch"],
      ["victim's link, a job token", theirs, world.attacker.job.token, "file_link_mismatch"],
      [
        "own link, victim's key",
        withParam(ours, "k", victimKey),
        world.attacker.adminToken,
        "invalid_file_link",
      ],
      [
        "own link, ../ to the victim",
        withParam(ours, "k", `${ourTenant}/../${victimKey}`),
        world.attacker.adminToken,
        "invalid_file_link",
      ],
      [
        "own link, victim's tenant",
        withParam(ours, "t", world.victim.id),
        world.attacker.adminToken,
        "invalid_file_link",
      ],
      [
        "own key, victim's prefix",
        withParam(ours, "k", ourKey.replace(ourTenant, world.victim.id)),
        world.attacker.adminToken,
        "invalid_file_link",
      ],
      [
        "no signature at all",
        `${world.url}/api/files?k=${encodeURIComponent(victimKey)}`,
        world.attacker.adminToken,
        "invalid_file_link",
      ],
    ];
    const violations = [];
    for (const [label, link, bearer, kind] of tries) {
      const answer = await get(link, bearer, "files");
      if (answer.status !== 404) return fail(`${label}: ${answer.status}`);
      if (answer.body !== JSON.stringify({ error: "not found" }))
        return fail(`${label}: body ${answer.body.slice(0, 80)}`);
      violations.push({ requestId: answer.requestId, kinds: [kind] });
    }
    // Controls: the holder's own replays open the file (links last minutes, for their holder).
    for (const [link, token] of [
      [theirs, world.victim.adminToken],
      [theirs, world.victim.adminToken],
      [ours, world.attacker.adminToken],
    ] as const) {
      const answer = await get(link, token, "files-control");
      if (answer.status !== 200) return fail(`the holder's own link answered ${answer.status}`);
    }
    return pass(`${tries.length}× 404 (holder: 200)`, violations);
  },
};

const png = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

async function put(world: World, path: string, token: string) {
  const requestId = newRequestId("preview");
  const response = await fetch(`${world.url}${path}`, {
    method: "PUT",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "image/png",
      "x-request-id": requestId,
    },
    body: png,
  });
  return { status: response.status, requestId };
}

/** Page previews (PUT /api/jobs/:jobId/pages/:page): another job's path, `..`, a tampered token. */
export const previewAttacks: Attack = {
  name: "preview-put",
  async run({ world }) {
    const own = world.attacker.job;
    const victimJob = world.victim.job.id;
    const tries: Array<[string, string, string, number[], string | null]> = [
      [
        "victim's job path",
        `/api/jobs/${victimJob}/pages/1`,
        own.token,
        [404],
        "job_token_mismatch",
      ],
      [
        "page ../",
        `/api/jobs/${own.id}/pages/..%2F..%2F${world.victim.id}`,
        own.token,
        [400],
        null,
      ],
      ["job ../", `/api/jobs/..%2F${victimJob}/pages/1`, own.token, [404], "job_token_mismatch"],
      [
        "dot segments",
        `/api/jobs/${own.id}/../${victimJob}/pages/1`,
        own.token,
        [404],
        "job_token_mismatch",
      ],
      [
        "tampered token",
        `/api/jobs/${victimJob}/pages/1`,
        tamperedJobToken(world.victim.job.token),
        [401],
        "invalid_job_token",
      ],
    ];
    const violations = [];
    for (const [label, path, token, statuses, kind] of tries) {
      const answer = await put(world, path, token);
      if (!statuses.includes(answer.status)) return fail(`${label}: ${answer.status}`);
      if (kind) violations.push({ requestId: answer.requestId, kinds: [kind] });
    }
    return pass(`${tries.length} refused, nothing stored`, violations);
  },
};
