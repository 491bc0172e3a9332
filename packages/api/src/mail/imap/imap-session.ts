import { isIP } from "node:net";
import type { ImapTlsMode } from "@remit/db";
import type { ImapFlow } from "imapflow";
import { resolvePermittedHost } from "../../net/resolve-host";
import { MailboxProblem } from "./imap-errors";
import type { ImapSettings } from "./imap-settings";

/** Where and how to log in: a mailbox row with its password unsealed, for one session only. */
export interface ImapLogin {
  host: string;
  port: number;
  tlsMode: ImapTlsMode;
  username: string;
  password: string;
}

/**
 * A logged-in IMAP session to a tenant's mail server. The host is resolved once and checked
 * against the address policy (net/address-policy.ts); the connection goes to that checked
 * address, never to the name again, so DNS cannot point it elsewhere between check and connect.
 * TLS verifies the certificate against the host name (servername). Every phase has a timeout:
 * connecting, the greeting, and each command (socketTimeout).
 */
export async function openImapSession(settings: ImapSettings, login: ImapLogin): Promise<ImapFlow> {
  if (login.tlsMode === "none" && !settings.allowPlaintext) {
    throw new MailboxProblem(
      "IMAP without TLS is not allowed on this server: choose TLS or STARTTLS",
    );
  }
  const { address } = await resolvePermittedHost(
    login.host,
    { allowPrivate: settings.allowPrivateHosts },
    { timeoutMs: settings.connectTimeoutMs },
  );
  const name = login.host.trim().replace(/^\[|\]$/g, "");
  // Imported by the first poll, not at the API's start (bench:coldstart).
  const { ImapFlow } = await import("imapflow");
  const client = new ImapFlow({
    host: address,
    port: login.port,
    secure: login.tlsMode === "implicit",
    // STARTTLS is required when chosen (never a silent fall back to plaintext), and never tried
    // when the operator allowed plaintext and the admin chose it.
    doSTARTTLS: login.tlsMode === "starttls" ? true : login.tlsMode === "none" ? false : undefined,
    ...(isIP(name) ? {} : { servername: name }),
    tls: { rejectUnauthorized: true, minVersion: "TLSv1.2" },
    auth: { user: login.username, pass: login.password },
    logger: false,
    connectionTimeout: settings.connectTimeoutMs,
    greetingTimeout: settings.connectTimeoutMs,
    socketTimeout: settings.commandTimeoutMs,
    disableAutoIdle: true,
    disableCompression: true,
    disableAutoEnable: true,
    clientInfo: { name: "Remit" },
    // Messages over the size limit are never fetched (their size is asked first); this bounds
    // what a lying server can make us hold.
    maxLiteralSize: settings.maxMessageBytes + 65_536,
  });
  // A socket error after connect is also thrown by the command waiting on it; unheard, it would
  // crash the process.
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    client.close();
    throw error;
  }
  return client;
}

/** Logs out politely, and closes the socket whatever the server does. */
export async function closeImapSession(client: ImapFlow): Promise<void> {
  try {
    if (client.usable) await client.logout();
  } catch {
    // Closing anyway.
  } finally {
    client.close();
  }
}
