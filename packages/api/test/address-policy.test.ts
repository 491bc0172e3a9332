import { describe, expect, it } from "vitest";
import { addressRefusal, categorize } from "../src/net/address-policy";
import { HostRefusedError, resolvePermittedHost } from "../src/net/resolve-host";

/* The SSRF guard on its own: address categories (IPv4, IPv6, IPv6 carrying IPv4) and the policy. */

describe("categorize", () => {
  it.each([
    ["8.8.8.8", "public"],
    ["93.184.216.34", "public"],
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["172.32.0.1", "public"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "private"],
    ["169.254.169.254", "link-local"],
    ["0.0.0.0", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["255.255.255.255", "reserved"],
    ["192.0.2.10", "reserved"],
    ["2606:4700:4700::1111", "public"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["fd12:3456:789a::1", "unique-local"],
    ["fc00::1", "unique-local"],
    ["ff02::1", "multicast"],
    ["2001:db8::1", "reserved"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:10.0.0.1", "private"],
    ["::ffff:169.254.169.254", "link-local"],
    ["::ffff:8.8.8.8", "public"],
    ["::127.0.0.1", "loopback"],
    ["64:ff9b::a9fe:a9fe", "link-local"],
    ["2002:7f00:1::", "loopback"],
    ["[::1]", "loopback"],
    ["not an address", "reserved"],
  ])("%s is %s", (address, category) => {
    expect(categorize(address)).toBe(category);
  });
});

describe("addressRefusal", () => {
  const strict = { allowPrivate: false };
  const relaxed = { allowPrivate: true };

  it("allows public addresses under either policy", () => {
    expect(addressRefusal("8.8.8.8", strict)).toBeNull();
    expect(addressRefusal("8.8.8.8", relaxed)).toBeNull();
  });

  it("refuses loopback, private and unique-local unless the operator allows them", () => {
    for (const address of [
      "127.0.0.1",
      "::1",
      "10.0.0.5",
      "192.168.0.2",
      "fd00::5",
      "::ffff:127.0.0.1",
    ]) {
      expect(addressRefusal(address, strict)).toMatch(/which this server does not connect to$/);
      expect(addressRefusal(address, relaxed)).toBeNull();
    }
  });

  it("refuses link-local, multicast, unspecified and reserved addresses always", () => {
    for (const address of [
      "169.254.169.254",
      "fe80::1",
      "224.0.0.1",
      "0.0.0.0",
      "::",
      "240.0.0.1",
    ]) {
      expect(addressRefusal(address, relaxed)).not.toBeNull();
    }
    expect(addressRefusal("169.254.169.254", strict)).toBe(
      "169.254.169.254 is a link-local address, which this server does not connect to",
    );
  });
});

describe("resolvePermittedHost", () => {
  const lookupTo =
    (...addresses: string[]) =>
    async () =>
      addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));

  it("answers the checked address to connect to", async () => {
    await expect(
      resolvePermittedHost(
        "imap.example.com",
        { allowPrivate: false },
        { lookup: lookupTo("93.184.216.34") },
      ),
    ).resolves.toEqual({ address: "93.184.216.34", family: 4 });
    await expect(resolvePermittedHost("127.0.0.1", { allowPrivate: true })).resolves.toEqual({
      address: "127.0.0.1",
      family: 4,
    });
  });

  it("refuses a name when any address it resolves to is refused", async () => {
    const attempt = resolvePermittedHost(
      "rebind.example.com",
      { allowPrivate: false },
      { lookup: lookupTo("93.184.216.34", "127.0.0.1") },
    );
    await expect(attempt).rejects.toThrow(HostRefusedError);
    await expect(attempt).rejects.toThrow(
      "rebind.example.com resolves to 127.0.0.1, a loopback address (this server itself), which this server does not connect to",
    );
    await expect(resolvePermittedHost("[::1]", { allowPrivate: false })).rejects.toThrow(
      HostRefusedError,
    );
  });

  it("says so when a name does not resolve, or not in time", async () => {
    await expect(
      resolvePermittedHost("nowhere.invalid", { allowPrivate: false }, { lookup: lookupTo() }),
    ).rejects.toThrow("the host name nowhere.invalid has no address");
    await expect(
      resolvePermittedHost(
        "slow.example.com",
        { allowPrivate: false },
        { lookup: () => new Promise(() => {}), timeoutMs: 20 },
      ),
    ).rejects.toThrow("the host name slow.example.com could not be resolved");
  });
});
