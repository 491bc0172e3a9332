import { readdirSync } from "node:fs";
import { join } from "node:path";
import { createRemitClient, signUp } from "@remit/client";
import { documents, invoices } from "@remit/db";
import { pngWith, rawPdf } from "@remit/testkit";
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pdf } from "./files";
import { type LiveServer, startLiveServer } from "./live-server";

/*
 * A seeded fuzz of the upload path: truncations and byte mutations of valid PDFs, JPEGs and PNGs,
 * and of the multipart bodies that carry them, all sent to a real server. Whatever arrives, the
 * answer is never a 5xx; a refusal stores nothing; the server answers afterwards. The seed and
 * the count can be changed (UPLOAD_FUZZ_SEED, UPLOAD_FUZZ_CASES) to search further; a failure
 * prints its case number, which replays with the same seed.
 */

const seed = Number(process.env.UPLOAD_FUZZ_SEED ?? 20261127);
const cases = Number(process.env.UPLOAD_FUZZ_CASES ?? 2000);

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function random(seedValue: number) {
  let state = seedValue >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (max: number) => Math.floor(next() * max),
    bytes: (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(next() * 256))),
  };
}
type Random = ReturnType<typeof random>;

type Mutation = (bytes: Buffer, r: Random) => Buffer;

const fileMutations: Record<string, Mutation> = {
  truncate: (b, r) => b.subarray(0, r.int(b.length)),
  flip: (b, r) => {
    const out = Buffer.from(b);
    for (let i = 0, n = 1 + r.int(8); i < n; i++) out[r.int(out.length)] = r.int(256);
    return out;
  },
  overwrite: (b, r) => {
    const out = Buffer.from(b);
    const at = r.int(out.length);
    r.bytes(1 + r.int(64)).copy(out, at);
    return out;
  },
  insert: (b, r) => {
    const at = r.int(b.length);
    return Buffer.concat([b.subarray(0, at), r.bytes(1 + r.int(64)), b.subarray(at)]);
  },
  remove: (b, r) => {
    const at = r.int(b.length);
    return Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + r.int(256))]);
  },
  duplicate: (b, r) => {
    const at = r.int(b.length);
    const run = b.subarray(at, at + 1 + r.int(256));
    return Buffer.concat([b.subarray(0, at), run, run, b.subarray(at)]);
  },
};

const boundary = "----remit-fuzz-boundary";

function multipart(file: Buffer, filename: string, type: string): Buffer {
  return Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
}

const bodyMutations: Record<string, Mutation> = {
  ...fileMutations,
  "no closing boundary": (b) => b.subarray(0, b.length - `\r\n--${boundary}--\r\n`.length),
  "cut inside the part header": (b, r) => b.subarray(0, r.int(120)),
  "header bytes mangled": (b, r) => {
    const out = Buffer.from(b);
    for (let i = 0, n = 1 + r.int(4); i < n; i++)
      out[r.int(Math.min(out.length, 140))] = r.int(256);
    return out;
  },
  "two files": (b) =>
    Buffer.concat([b.subarray(0, b.length - 4), Buffer.from("\r\n"), b.subarray(2)]),
};

interface Seed {
  name: string;
  type: string;
  bytes: Buffer;
}

let live: LiveServer;
let token: string;
let tenantId: string;
let seeds: Seed[];

beforeAll(async () => {
  live = await startLiveServer();
  token = await signUp(live.url, {
    name: "Fuzz",
    email: `fuzz-${crypto.randomUUID().slice(0, 8)}@example.test`,
    password: "correct horse battery",
  });
  const tenant = await createRemitClient({ url: live.url, token }).tenant.create.mutate({
    name: "Fuzz",
    slug: `fuzz-${crypto.randomUUID().slice(0, 8)}`,
  });
  tenantId = tenant.id;
  const photo = await sharp({
    create: { width: 48, height: 32, channels: 3, background: { r: 200, g: 120, b: 40 } },
  })
    .jpeg({ quality: 80 })
    .toBuffer();
  seeds = [
    { name: "invoice.pdf", type: "application/pdf", bytes: rawPdf() },
    { name: "generated.pdf", type: "application/pdf", bytes: await pdf("Fuzz seed 42.00 EUR") },
    { name: "scan.png", type: "image/png", bytes: pngWith(40, 30) },
    { name: "photo.jpg", type: "image/jpeg", bytes: photo },
  ];
}, 120_000);

afterAll(async () => {
  await live?.close();
});

function objectsOf(tenant: string): string[] {
  try {
    return readdirSync(join(live.objectsRoot, tenant), { recursive: true }).map(String);
  } catch {
    return [];
  }
}

describe("upload fuzz", () => {
  it(`${cases} truncated and mutated files and multipart bodies: never a 5xx, nothing stored on refusal`, async () => {
    const r = random(seed);
    const statuses = new Map<number, number>();
    let created = 0;
    const fileKinds = Object.entries(fileMutations);
    const bodyKinds = Object.entries(bodyMutations);
    for (let i = 0; i < cases; i++) {
      const base = seeds[r.int(seeds.length)] as Seed;
      let body: Buffer;
      let label: string;
      if (r.next() < 0.6) {
        const [kind, mutate] = fileKinds[r.int(fileKinds.length)] as [string, Mutation];
        body = multipart(mutate(base.bytes, r), base.name, base.type);
        label = `file ${kind}`;
      } else {
        const [kind, mutate] = bodyKinds[r.int(bodyKinds.length)] as [string, Mutation];
        body = mutate(multipart(base.bytes, base.name, base.type), r);
        label = `body ${kind}`;
      }
      const response = await fetch(`${live.url}/api/invoices/upload`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": `multipart/form-data; boundary=${boundary}`,
        },
        body,
      });
      const answer = (await response.json().catch(() => null)) as { error?: string } | null;
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      expect(
        response.status,
        `case ${i} (${label} of ${base.name}): ${answer?.error}`,
      ).toBeLessThan(500);
      if (response.status === 201) created++;
      else if (response.status >= 400) {
        expect(answer?.error, `case ${i} (${label}) refused without a sentence`).toMatch(/\w+ \w+/);
      }
    }
    // Every refusal left nothing: the tenant holds exactly the invoices that were created.
    const rows = await live.handle.db
      .select({ id: invoices.id })
      .from(invoices)
      .where(eq(invoices.tenantId, tenantId));
    const docs = await live.handle.db
      .select({ id: documents.id })
      .from(documents)
      .where(eq(documents.tenantId, tenantId));
    const objects = objectsOf(tenantId);
    expect(rows).toHaveLength(created);
    expect(docs).toHaveLength(created);
    expect(
      objects.filter((name) => name.endsWith("original.pdf") || /original\.(png|jpg)$/.test(name)),
    ).toHaveLength(created);
    expect(objects.filter((name) => name.endsWith(".partial"))).toEqual([]);
    expect((await fetch(`${live.url}/healthz`)).status).toBe(200);
    console.log(
      `upload fuzz: ${cases} cases (seed ${seed}), statuses ${JSON.stringify(Object.fromEntries(statuses))}, ${created} stored`,
    );
  }, 600_000);
});
