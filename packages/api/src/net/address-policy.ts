import { BlockList, isIP } from "node:net";

/*
 * Which IP addresses the server may open a connection to when someone else chose the host (a
 * tenant's IMAP server, a webhook URL): the guard against server-side request forgery. A tenant
 * admin must not be able to make Remit talk to its own loopback services, the private network it
 * runs in, or a cloud metadata endpoint. Pure functions on address text; resolving a host name
 * is resolve-host.ts, which checks every address a name resolves to with this module.
 */

export type AddressCategory =
  | "public"
  | "loopback"
  | "private"
  | "link-local"
  | "unique-local"
  | "multicast"
  | "unspecified"
  | "reserved";

export interface AddressPolicy {
  /**
   * Also allow loopback, private (RFC 1918, shared 100.64/10) and unique-local (fc00::/7)
   * addresses: for an operator whose mail server is on its own network, and for tests. Link-local
   * (cloud metadata at 169.254.169.254), multicast, unspecified and reserved addresses stay refused
   * either way: no TCP service an admin means to reach lives there.
   */
  allowPrivate: boolean;
}

const v4: Array<[string, number, AddressCategory]> = [
  ["0.0.0.0", 8, "unspecified"],
  ["10.0.0.0", 8, "private"],
  ["100.64.0.0", 10, "private"],
  ["127.0.0.0", 8, "loopback"],
  ["169.254.0.0", 16, "link-local"],
  ["172.16.0.0", 12, "private"],
  ["192.0.0.0", 24, "reserved"],
  ["192.0.2.0", 24, "reserved"],
  ["192.88.99.0", 24, "reserved"],
  ["192.168.0.0", 16, "private"],
  ["198.18.0.0", 15, "reserved"],
  ["198.51.100.0", 24, "reserved"],
  ["203.0.113.0", 24, "reserved"],
  ["224.0.0.0", 4, "multicast"],
  ["240.0.0.0", 4, "reserved"],
];

const v6: Array<[string, number, AddressCategory]> = [
  ["::", 128, "unspecified"],
  ["::1", 128, "loopback"],
  ["100::", 64, "reserved"],
  ["2001:db8::", 32, "reserved"],
  ["fc00::", 7, "unique-local"],
  ["fe80::", 10, "link-local"],
  ["fec0::", 10, "reserved"],
  ["ff00::", 8, "multicast"],
];

function listOf(ranges: Array<[string, number, AddressCategory]>, type: "ipv4" | "ipv6") {
  return ranges.map(([network, prefix, category]) => {
    const list = new BlockList();
    list.addSubnet(network, prefix, type);
    return { list, category };
  });
}

const v4Lists = listOf(v4, "ipv4");
const v6Lists = listOf(v6, "ipv6");

/** The 16 bytes of an IPv6 address (`::` expanded, a dotted IPv4 tail read). */
function ipv6Bytes(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const [a = 0, b = 0, c = 0, d = 0] = dotted[1].split(".").map(Number);
    text = `${text.slice(0, -dotted[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const groups = (part: string) => (part === "" ? [] : part.split(":"));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const missing = 8 - left.length - right.length;
  const all = [...left, ...Array<string>(Math.max(missing, 0)).fill("0"), ...right];
  return all.flatMap((group) => {
    const value = Number.parseInt(group, 16);
    return [(value >> 8) & 0xff, value & 0xff];
  });
}

/**
 * The IPv4 address an IPv6 address carries and that routes to it: IPv4-mapped (::ffff:a.b.c.d),
 * IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) and 6to4 (2002:AABB:CCDD::/48). Judging
 * the IPv6 text alone would let ::ffff:127.0.0.1 through as "public".
 */
function embeddedIpv4(address: string): string | null {
  const b = ipv6Bytes(address);
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const dotted = (at: number) => b.slice(at, at + 4).join(".");
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return dotted(12);
  if (zeros(0, 12) && !zeros(12, 16) && !(zeros(12, 15) && b[15] === 1)) return dotted(12);
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12))
    return dotted(12);
  if (b[0] === 0x20 && b[1] === 0x02) return dotted(2);
  return null;
}

/** What kind of address this is; "reserved" for text that is no IP address at all. */
export function categorize(address: string): AddressCategory {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const family = isIP(bare);
  if (family === 4) {
    return v4Lists.find(({ list }) => list.check(bare, "ipv4"))?.category ?? "public";
  }
  if (family === 6) {
    const inner = embeddedIpv4(bare);
    if (inner !== null) return categorize(inner);
    return v6Lists.find(({ list }) => list.check(bare, "ipv6"))?.category ?? "public";
  }
  return "reserved";
}

const allowedWhenPrivate = new Set<AddressCategory>([
  "public",
  "loopback",
  "private",
  "unique-local",
]);

/**
 * Null when the policy lets the server connect to `address`; otherwise a sentence saying why
 * not, fit to show the admin who chose the host (`name`: the host name it was resolved from).
 */
export function addressRefusal(
  address: string,
  policy: AddressPolicy,
  name?: string,
): string | null {
  const category = categorize(address);
  if (category === "public") return null;
  if (policy.allowPrivate && allowedWhenPrivate.has(category)) return null;
  const what: Record<Exclude<AddressCategory, "public">, string> = {
    loopback: "a loopback address (this server itself)",
    private: "a private network address",
    "link-local": "a link-local address",
    "unique-local": "a unique-local (private) IPv6 address",
    multicast: "a multicast address",
    unspecified: "an unspecified address",
    reserved: "a reserved address",
  };
  const subject = name && name !== address ? `${name} resolves to ${address},` : `${address} is`;
  return `${subject} ${what[category]}, which this server does not connect to`;
}
