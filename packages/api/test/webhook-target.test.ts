import { describe, expect, it } from "vitest";
import { categorize } from "../src/net/address-policy";
import { checkWebhookTarget } from "../src/net/webhook-target";
import {
  newWebhookSecret,
  openSecret,
  sealSecret,
  signWebhook,
  webhookSecretKey,
} from "../src/webhooks/webhook-secret";

/* The SSRF guard's address classifier and URL check, and the endpoint secret's seal. */

describe("categorize, as the webhook guard uses it", () => {
  it.each([
    ["8.8.8.8", "public"],
    ["93.184.215.14", "public"],
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["10.0.0.1", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["172.32.0.1", "public"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "link-local"],
    ["100.64.0.1", "private"],
    ["100.127.255.255", "private"],
    ["100.128.0.1", "public"],
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["255.255.255.255", "reserved"],
    ["::1", "loopback"],
    ["[::1]", "loopback"],
    ["::", "unspecified"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:169.254.169.254", "link-local"],
    ["::ffff:8.8.8.8", "public"],
    ["::127.0.0.1", "loopback"],
    ["64:ff9b::10.0.0.1", "private"],
    ["2002:7f00:1::", "loopback"],
    ["fc00::1", "unique-local"],
    ["fd12:3456::1", "unique-local"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["ff02::1", "multicast"],
    ["2001:db8::1", "reserved"],
    ["2606:4700:4700::1111", "public"],
    ["not-an-ip", "reserved"],
    ["1.2.3", "reserved"],
    ["256.1.1.1", "reserved"],
  ])("%s is %s", (address, kind) => {
    expect(categorize(address)).toBe(kind);
  });
});

describe("checkWebhookTarget", () => {
  const strict = { allowPrivate: false, allowHttp: false };
  const resolveTo =
    (...addresses: string[]) =>
    async () =>
      addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }) as const);

  it("accepts a public https URL and pins the address it checked", async () => {
    const got = await checkWebhookTarget("https://hooks.example.com/in?x=1", {
      ...strict,
      resolve: resolveTo("93.184.215.14"),
    });
    expect(got).toMatchObject({ ok: true, host: "hooks.example.com", address: "93.184.215.14" });
  });

  it("refuses a name with any non-public address among its answers", async () => {
    const got = await checkWebhookTarget("https://mixed.example.com/", {
      ...strict,
      resolve: resolveTo("93.184.215.14", "10.0.0.5"),
    });
    expect(got).toEqual({
      ok: false,
      reason:
        "the webhook host mixed.example.com resolves to 10.0.0.5, a private network address; webhooks may only call public addresses unless the operator sets REMIT_WEBHOOKS_ALLOW_PRIVATE=true",
    });
  });

  it("refuses a name that does not resolve", async () => {
    const got = await checkWebhookTarget("https://nowhere.invalid/", {
      ...strict,
      resolve: async () => {
        throw new Error("ENOTFOUND");
      },
    });
    expect(got).toEqual({
      ok: false,
      reason: "the webhook host nowhere.invalid could not be resolved",
    });
  });

  it.each([
    "https://0x7f.1/",
    "https://0177.0.0.1/",
    "https://[0:0:0:0:0:ffff:7f00:1]/",
    "https://[::ffff:a9fe:a9fe]/",
  ])("sees through the alternative spelling %s", async (url) => {
    const got = await checkWebhookTarget(url, strict);
    expect(got.ok).toBe(false);
  });

  it("with the operator's flags: private targets and http allowed, never 0.0.0.0 or multicast", async () => {
    const open = { allowPrivate: true, allowHttp: true };
    expect((await checkWebhookTarget("http://127.0.0.1:8080/x", open)).ok).toBe(true);
    expect((await checkWebhookTarget("http://10.0.0.1/x", open)).ok).toBe(true);
    expect(await checkWebhookTarget("http://0.0.0.0/x", open)).toMatchObject({ ok: false });
    expect(await checkWebhookTarget("http://224.0.0.1/x", open)).toMatchObject({ ok: false });
    expect(await checkWebhookTarget("ftp://example.com/", open)).toMatchObject({ ok: false });
  });
});

describe("the endpoint secret", () => {
  const key = webhookSecretKey("test-secret-that-is-long-enough-0123456789");
  const binding = { tenantId: crypto.randomUUID(), endpointId: crypto.randomUUID() };

  it("seals and opens for the same row only", () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[\w-]{43}$/);
    const sealed = sealSecret(key, secret, binding);
    expect(sealed).not.toContain(secret.slice(6));
    expect(openSecret(key, sealed, binding)).toBe(secret);
    expect(() =>
      openSecret(key, sealed, { ...binding, endpointId: crypto.randomUUID() }),
    ).toThrow();
    expect(() =>
      openSecret(webhookSecretKey("another-server-secret-0123456789abcdef"), sealed, binding),
    ).toThrow();
  });

  it("signs '<timestamp>.<body>' as v1=<hex>", () => {
    expect(signWebhook("whsec_x", 1700000000, '{"a":1}')).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(signWebhook("whsec_x", 1700000000, '{"a":1}')).not.toBe(
      signWebhook("whsec_x", 1700000001, '{"a":1}'),
    );
  });
});
