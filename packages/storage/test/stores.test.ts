import { createHash, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  contentDisposition,
  localStore,
  ObjectNotFoundError,
  type ObjectStore,
  originalKey,
  s3Store,
  safeFilename,
  TooLargeError,
  tenantStore,
  toQuery,
  verifyQuery,
} from "../src";

/*
 * Both drivers, the same cases. The S3 driver talks to a real S3-speaking server (s3rver) on
 * loopback, not to a mocked SDK.
 */

const secret = "storage-test-secret-0123456789abcdef";
let root: string;
let s3server: S3rver;
let s3Port: number;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "remit-storage-"));
  s3server = new S3rver({
    port: 0,
    address: "127.0.0.1",
    silent: true,
    directory: join(root, "s3rver"),
    configureBuckets: [{ name: "remit", configs: [] }],
  });
  const address = await s3server.run();
  s3Port = address.port;
});

afterAll(async () => {
  await s3server?.close();
  rmSync(root, { recursive: true, force: true });
});

const drivers: Array<[string, () => ObjectStore]> = [
  [
    "local",
    () =>
      localStore({
        root: join(root, "objects"),
      }),
  ],
  [
    "s3",
    () =>
      s3Store({
        bucket: "remit",
        region: "us-east-1",
        endpoint: `http://127.0.0.1:${s3Port}`,
        accessKeyId: "S3RVER",
        secretAccessKey: "S3RVER",
        forcePathStyle: true,
      }),
  ],
];

const ids = () => ({ tenantId: randomUUID(), userId: randomUUID(), invoiceId: randomUUID() });
const bytes = (n: number) => Buffer.alloc(n, 7);
async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

describe.each(drivers)("%s driver", (_name, make) => {
  it("stores a stream, counts and hashes it, reads it back and deletes it", async () => {
    const store = make();
    const key = originalKey(ids(), "application/pdf");
    const body = Buffer.from("%PDF-1.7 not really a pdf");
    const put = await store.put(key, Readable.from([body]), {
      maxBytes: 1024,
      contentType: "application/pdf",
    });
    expect(put).toEqual({
      bytes: body.length,
      sha256: createHash("sha256").update(body).digest("hex"),
    });
    expect((await collect(await store.get(key))).equals(body)).toBe(true);
    expect((await store.head(key))?.bytes).toBe(body.length);
    await store.delete(key);
    expect(await store.head(key)).toBeNull();
    await expect(store.get(key)).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it("refuses the byte past the limit and keeps nothing", async () => {
    const store = make();
    const key = originalKey(ids(), "image/png");
    // 64 kB chunks, 1 MB + 1 byte in all, against a 1 MB limit.
    const chunks = [...Array.from({ length: 16 }, () => bytes(65_536)), bytes(1)];
    await expect(
      store.put(key, Readable.from(chunks), { maxBytes: 1_048_576, contentType: "image/png" }),
    ).rejects.toBeInstanceOf(TooLargeError);
    expect(await store.head(key)).toBeNull();
    const listed: string[] = [];
    for await (const item of store.list()) listed.push(item.key);
    expect(listed).not.toContain(key);
  });

  it("answers a key outside the caller's tenant like a missing file", async () => {
    const store = make();
    const parts = ids();
    const key = originalKey(parts, "application/pdf");
    await store.put(key, Readable.from([Buffer.from("%PDF-")]), {
      maxBytes: 100,
      contentType: "application/pdf",
    });
    const other = tenantStore(store, randomUUID());
    for (const attempt of [
      key,
      `${parts.tenantId}/../${key}`,
      `../${key}`,
      `${randomUUID()}/x/y/original.pdf`,
    ]) {
      await expect(other.get(attempt)).rejects.toBeInstanceOf(ObjectNotFoundError);
      await expect(other.delete(attempt)).rejects.toBeInstanceOf(ObjectNotFoundError);
    }
    expect((await collect(await tenantStore(store, parts.tenantId).get(key))).toString()).toBe(
      "%PDF-",
    );
  });
});

describe("signed links", () => {
  // Every link is issued by the API (packages/api files/file-links.ts) with this signing.
  it("verify the HMAC, refuse tampering and expiry", () => {
    const parts = ids();
    const key = originalKey(parts, "application/pdf");
    const query = toQuery(secret, {
      key,
      tenantId: parts.tenantId,
      userId: parts.userId,
      expiresAt: Math.floor(Date.now() / 1000) + 300,
      contentType: "application/pdf",
      filename: "a.pdf",
    });
    expect(verifyQuery(secret, query)).toMatchObject({ key, tenantId: parts.tenantId });
    const tampered = new URLSearchParams(query);
    tampered.set("t", randomUUID());
    expect(verifyQuery(secret, tampered)).toBeNull();
    expect(verifyQuery("another-secret-0123456789abcdef0123", query)).toBeNull();
    expect(verifyQuery(secret, query, Date.now() + 301_000)).toBeNull();
  });

  it("a hostile filename cannot break or disguise Content-Disposition", () => {
    const disposition = contentDisposition('in"voice\r\n../../etc/passwd.pdf');
    expect(disposition).toMatch(
      /^attachment; filename="in_voice__\.\._\.\._etc_passwd\.pdf"; filename\*=UTF-8''/,
    );
    expect(disposition).not.toMatch(/[\r\n]/);
    expect(contentDisposition("invoice\u202Efdp.exe")).not.toMatch(/%E2%80%AE/);
  });
});

describe("keys", () => {
  it("are built from UUIDs and fixed names only", () => {
    const parts = ids();
    expect(originalKey(parts, "image/jpeg")).toBe(
      `${parts.tenantId}/${parts.userId}/${parts.invoiceId}/original.jpg`,
    );
    expect(() => originalKey({ ...parts, userId: "../../etc" }, "image/png")).toThrow(
      /userId must be/,
    );
  });
});

describe("safeFilename", () => {
  it.each([
    ["invoice\u202Efdp.exe", "application/pdf", "invoicefdp_exe.pdf"],
    ["bill\u2066.pdf\u2069.js", "application/pdf", "bill_pdf_js.pdf"],
    ["report.html", "application/pdf", "report_html.pdf"],
    ["evil\uFF0Ehtml", "application/pdf", "evil_html.pdf"],
    ["zero\u200Bwidth.pdf", "application/pdf", "zerowidth.pdf"],
    ["Rechnung 2024.03.pdf", "application/pdf", "Rechnung 2024.03.pdf"],
    ["scan.PNG", "image/png", "scan.PNG"],
    ["photo.jpeg", "image/jpeg", "photo.jpeg"],
    ["photo", "image/png", "photo.png"],
    ["a.pdf.", "application/pdf", "a.pdf"],
    ["../../etc/passwd", "application/pdf", "passwd.pdf"],
    ["\u202E", "application/pdf", null],
    [".pdf", "application/pdf", "_pdf.pdf"],
  ] as const)("%j as %s is kept as %j", (name, type, kept) => {
    expect(safeFilename(name, type)).toBe(kept);
  });

  it("keeps the extension when it cuts a long name", () => {
    const kept = safeFilename(`${"ä".repeat(400)}.pdf`, "application/pdf") ?? "";
    expect([...kept].length).toBe(255);
    expect(kept.endsWith(".pdf")).toBe(true);
  });
});
