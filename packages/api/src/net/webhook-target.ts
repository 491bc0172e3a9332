import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { type AddressCategory, categorize } from "./address-policy";

/*
 * May the server POST to this URL? A tenant names the URL, the server connects: without a
 * guard, a webhook is a way to make Remit call its own loopback services, the private network
 * behind it, or a cloud metadata service (169.254.169.254). The host is resolved and every
 * address it resolves to must be public; the caller then connects to the address checked here
 * (never resolving again), so a DNS answer that changes between the check and the connection
 * (rebinding) cannot redirect it. Checked when an endpoint is registered and again before every
 * delivery, since DNS may change in between. The operator may allow private targets (an
 * internal receiver) and plain http, never by default.
 */

export interface WebhookTargetPolicy {
  /** REMIT_WEBHOOKS_ALLOW_PRIVATE: loopback, private, link-local and reserved targets allowed. */
  allowPrivate: boolean;
  /** REMIT_WEBHOOKS_ALLOW_HTTP: plain http allowed besides https. */
  allowHttp: boolean;
  /** Resolves a host name to its addresses; tests inject one, production uses getaddrinfo. */
  resolve?: (host: string) => Promise<ResolvedAddress[]>;
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type TargetCheck =
  | { ok: true; url: URL; host: string; address: string; family: 4 | 6 }
  | { ok: false; reason: string };

/** Never allowed, whatever the operator says: nothing listens there for us. */
const neverAllowed: ReadonlySet<AddressCategory> = new Set(["unspecified", "multicast"]);

/**
 * A sentence for each kind that is not public. The classification is the one every outbound
 * connection a tenant names goes through (address-policy.ts, as for IMAP hosts); what the
 * operator's flag opens differs: a webhook receiver may sit on a link-local or reserved address.
 */
const kindSentence: Record<Exclude<AddressCategory, "public">, string> = {
  loopback: "a loopback address",
  private: "a private network address",
  "link-local": "a link-local address (this includes cloud metadata services)",
  "unique-local": "a unique-local IPv6 address",
  unspecified: "the unspecified address",
  multicast: "a multicast address",
  reserved: "a reserved address",
};
const resolveTimeoutMs = 5000;

async function systemResolve(host: string): Promise<ResolvedAddress[]> {
  const found = await lookup(host, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timed out")), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function refuse(reason: string): TargetCheck {
  return { ok: false, reason };
}

/** The URL's verdict, with the one address to connect to when it is allowed. */
export async function checkWebhookTarget(
  raw: string,
  policy: WebhookTargetPolicy,
): Promise<TargetCheck> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse("the webhook URL is not a valid URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return refuse("the webhook URL must start with https://");
  }
  if (url.protocol === "http:" && !policy.allowHttp) {
    return refuse(
      "the webhook URL must use https (plain http is allowed only when the operator sets REMIT_WEBHOOKS_ALLOW_HTTP=true)",
    );
  }
  if (url.username || url.password) {
    return refuse("the webhook URL must not carry a user name or password");
  }
  // WHATWG parsing already turned 2130706433, 0x7f.1 and friends into dotted IPv4.
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!host) return refuse("the webhook URL has no host");

  let addresses: ResolvedAddress[];
  if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await withTimeout((policy.resolve ?? systemResolve)(host), resolveTimeoutMs);
    } catch {
      return refuse(`the webhook host ${host} could not be resolved`);
    }
    if (addresses.length === 0) return refuse(`the webhook host ${host} could not be resolved`);
  }

  // Every address must pass: a name that resolves to one public and one private address would
  // otherwise let the resolver's order decide where the POST goes.
  for (const { address } of addresses) {
    const kind = categorize(address);
    if (kind === "public") continue;
    if (neverAllowed.has(kind) || !policy.allowPrivate) {
      const what = kindSentence[kind];
      const subject = isIP(host)
        ? `the webhook target ${host} is ${what}`
        : `the webhook host ${host} resolves to ${address}, ${what}`;
      const unless = neverAllowed.has(kind)
        ? ""
        : " unless the operator sets REMIT_WEBHOOKS_ALLOW_PRIVATE=true";
      return refuse(`${subject}; webhooks may only call public addresses${unless}`);
    }
  }
  const first = addresses[0] as ResolvedAddress;
  return { ok: true, url, host, address: first.address, family: first.family };
}
