import { isIP } from "node:net";

/*
 * What kind of address an IP literal is, self-contained (no DNS, no dependency): the one
 * question an outbound-connection policy asks before letting the server connect somewhere a
 * tenant named. IPv6 forms that carry an IPv4 address (IPv4-mapped ::ffff:a.b.c.d, the
 * deprecated IPv4-compatible ::a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by the
 * IPv4 address inside, so `[::ffff:127.0.0.1]` is loopback like 127.0.0.1.
 */

export type AddressKind =
  | "public"
  | "loopback"
  | "private"
  | "link-local"
  | "shared"
  | "unique-local"
  | "unspecified"
  | "multicast"
  | "reserved"
  | "invalid";

/** A sentence for each kind that is not public, for refusals. */
export const addressKindSentence: Record<Exclude<AddressKind, "public">, string> = {
  loopback: "a loopback address",
  private: "a private network address",
  "link-local": "a link-local address (this includes cloud metadata services)",
  shared: "a carrier-grade NAT address (100.64.0.0/10)",
  "unique-local": "a unique-local IPv6 address",
  unspecified: "the unspecified address",
  multicast: "a multicast address",
  reserved: "a reserved address",
  invalid: "not an IP address",
};

type Range4 = [base: number, bits: number, kind: AddressKind];

const v4 = (a: number, b: number, c: number, d: number) =>
  ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

const ranges4: Range4[] = [
  [v4(0, 0, 0, 0), 32, "unspecified"],
  [v4(0, 0, 0, 0), 8, "reserved"], // "this network"
  [v4(10, 0, 0, 0), 8, "private"],
  [v4(100, 64, 0, 0), 10, "shared"],
  [v4(127, 0, 0, 0), 8, "loopback"],
  [v4(169, 254, 0, 0), 16, "link-local"],
  [v4(172, 16, 0, 0), 12, "private"],
  [v4(192, 0, 0, 0), 24, "reserved"], // IETF protocol assignments
  [v4(192, 168, 0, 0), 16, "private"],
  [v4(198, 18, 0, 0), 15, "reserved"], // benchmarking
  [v4(224, 0, 0, 0), 4, "multicast"],
  [v4(240, 0, 0, 0), 4, "reserved"], // includes 255.255.255.255
];

function parse4(text: string): number | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    value = value * 256 + n;
  }
  return value >>> 0;
}

function kind4(value: number): AddressKind {
  // The most specific range wins: 0.0.0.0/32 before 0.0.0.0/8.
  let best: Range4 | undefined;
  for (const range of ranges4) {
    const [base, bits] = range;
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    if ((value & mask) >>> 0 === base && (!best || bits > best[1])) best = range;
  }
  return best?.[2] ?? "public";
}

/** Eight 16-bit groups, or null. Accepts `::`, an embedded dotted IPv4 tail, and a zone id. */
function parse6(text: string): number[] | null {
  const bare = text.replace(/^\[|\]$/g, "").split("%")[0] ?? "";
  if (isIP(bare) !== 6) return null;
  let head = bare;
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  if (dotted?.[1]) {
    const value = parse4(dotted[1]);
    if (value === null) return null;
    tail.push(value >>> 16, value & 0xffff);
    head = bare.slice(0, -dotted[1].length);
    if (head.endsWith(":") && !head.endsWith("::")) head = head.slice(0, -1);
  }
  const [left, right] = head.includes("::") ? head.split("::") : [head, undefined];
  const groups = (s: string | undefined) =>
    s
      ? s
          .split(":")
          .filter((g) => g.length > 0)
          .map((g) => Number.parseInt(g, 16))
      : [];
  const l = groups(left);
  const r = groups(right);
  const missing = 8 - tail.length - l.length - r.length;
  if (missing < 0 || (right === undefined && missing !== 0)) return null;
  return [...l, ...new Array<number>(missing).fill(0), ...r, ...tail];
}

function kind6(g: number[]): AddressKind {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const embedded = () => kind4(((g6 << 16) | g7) >>> 0);
  const zeroTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroTo(8)) return "unspecified";
  if (zeroTo(7) && g7 === 1) return "loopback";
  if (zeroTo(5) && g5 === 0xffff) return embedded(); // IPv4-mapped
  if (zeroTo(6)) return embedded(); // IPv4-compatible (deprecated)
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0)
    return embedded(); // NAT64
  if (g0 === 0x2002) return kind4(((g1 << 16) | g2) >>> 0); // 6to4
  if ((g0 & 0xfe00) === 0xfc00) return "unique-local";
  if ((g0 & 0xffc0) === 0xfe80) return "link-local";
  if ((g0 & 0xffc0) === 0xfec0) return "reserved"; // site-local (deprecated)
  if ((g0 & 0xff00) === 0xff00) return "multicast";
  if (g0 === 0x2001 && g1 === 0x0db8) return "reserved"; // documentation
  if (g0 === 0x0100 && g1 === 0 && g2 === 0 && g3 === 0) return "reserved"; // discard-only
  if ((g0 & 0xff00) === 0) return "reserved"; // the rest of ::/8
  return "public";
}

/** The kind of an IPv4 or IPv6 literal (brackets and a zone id are accepted). */
export function classifyAddress(address: string): AddressKind {
  const four = parse4(address);
  if (four !== null) return kind4(four);
  const six = parse6(address);
  return six ? kind6(six) : "invalid";
}
