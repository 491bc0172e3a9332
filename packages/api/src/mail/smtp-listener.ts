import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { SMTPServerDataStream, SMTPServerSession } from "smtp-server";
import type { ApiDeps } from "../context";
import { type DeliveryReport, deliverMail, type ReceivedMail } from "./deliver-message";
import { mailLimits } from "./mail-limits";
import { parseMessage } from "./parse-message";
import { type MailTarget, resolveMailAddress } from "./resolve-address";

/*
 * The SMTP door. It only decides who the tenant is (resolve-address.ts, at RCPT time, so mail
 * for an unknown or revoked address is refused before any byte of it is taken) and hands the
 * parsed message to deliverMail, which runs under withTenant. It accepts mail for our own domain
 * only (it is no relay), never authenticates anyone, and answers 250 only once every tenant's
 * copy is stored: a failure on our side is a 451, and the sending server tries again.
 */

export interface MailListenerSettings {
  port: number;
  host: string;
  /** The domain of inbound addresses (REMIT_MAIL_DOMAIN). */
  domain: string;
  /** The largest message taken, headers and all encoded attachments (MAIL_MAX_BYTES). */
  maxBytes: number;
  /** PEM certificate and key: STARTTLS is offered only with both. */
  tls?: { cert: Buffer; key: Buffer };
  /** Told about each message delivered, and each failure (logging, benchmarks, tests). */
  onDelivered?: (event: { reports: DeliveryReport[] }) => void;
  onError?: (error: unknown) => void;
}

export interface MailListener {
  port: number;
  close(): Promise<void>;
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/** A counting semaphore: at most `size` holders at once, the rest wait in order. */
function slots(size: number) {
  let free = size;
  const waiting: Array<() => void> = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (free > 0) free--;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free++;
    }
  };
}

/** Reads the message up to the cap; past it, keeps draining so the client sees our answer. */
async function readCapped(stream: SMTPServerDataStream, maxBytes: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    const buffer = chunk as Buffer;
    length += buffer.length;
    if (length <= maxBytes) chunks.push(buffer);
  }
  if (stream.sizeExceeded || length > maxBytes) return null;
  return Buffer.concat(chunks);
}

/** One delivery per tenant: two addresses of the same tenant on one message give one copy. */
async function targetsOf(
  deps: ApiDeps,
  session: SMTPServerSession,
  domain: string,
): Promise<MailTarget[]> {
  const targets = new Map<string, MailTarget>();
  for (const recipient of session.envelope.rcptTo) {
    // Resolved again, not remembered from RCPT: an address revoked meanwhile gets nothing.
    const target = await resolveMailAddress(deps.db, recipient.address, domain);
    if (target && !targets.has(target.tenantId)) targets.set(target.tenantId, target);
  }
  return [...targets.values()];
}

export async function startMailListener(
  deps: ApiDeps,
  settings: MailListenerSettings,
): Promise<MailListener> {
  const inSlot = slots(mailLimits.concurrentMessages);
  // Imported here: an API without a mail listener never loads it (bench:coldstart).
  const { SMTPServer } = await import("smtp-server");
  const server = new SMTPServer({
    name: settings.domain,
    banner: "Remit invoice intake",
    size: settings.maxBytes,
    authOptional: true,
    disabledCommands: settings.tls ? ["AUTH"] : ["AUTH", "STARTTLS"],
    hideSTARTTLS: !settings.tls,
    ...(settings.tls ? { key: settings.tls.key, cert: settings.tls.cert } : {}),
    logger: false,
    maxClients: mailLimits.connections,
    socketTimeout: 60_000,
    closeTimeout: 5_000,

    onRcptTo(address, session, callback) {
      if (session.envelope.rcptTo.length >= mailLimits.recipients) {
        callback(smtpError(452, "4.5.3 Too many recipients"));
        return;
      }
      resolveMailAddress(deps.db, address.address, settings.domain).then(
        (target) => callback(target ? null : smtpError(550, "5.1.1 No such mailbox here")),
        (error: unknown) => {
          settings.onError?.(error);
          callback(smtpError(451, "4.3.0 Temporary failure, try again later"));
        },
      );
    },

    onData(stream, session, callback) {
      const work = async (): Promise<string> => {
        const raw = await readCapped(stream, settings.maxBytes);
        if (!raw) {
          throw smtpError(552, `5.3.4 Message too big: the limit is ${settings.maxBytes} bytes`);
        }
        const envelopeSender = session.envelope.mailFrom ? session.envelope.mailFrom.address : null;
        let mail: ReceivedMail;
        try {
          mail = await parseMessage(raw, envelopeSender);
        } catch {
          throw smtpError(554, "5.6.0 The message could not be read as MIME");
        }
        const targets = await targetsOf(deps, session, settings.domain);
        if (targets.length === 0) throw smtpError(550, "5.1.1 No such mailbox here");
        const reports: DeliveryReport[] = [];
        for (const target of targets) {
          reports.push(
            await deliverMail(deps, target, mail, {
              requestId: `smtp-${session.id}-${randomUUID().slice(0, 8)}`,
              ip: session.remoteAddress ?? null,
            }),
          );
        }
        settings.onDelivered?.({ reports });
        return `2.0.0 Accepted for ${reports.length} recipient(s)`;
      };
      inSlot(work).then(
        (message) => callback(null, message),
        (error: unknown) => {
          if (error instanceof Error && "responseCode" in error) {
            callback(error);
            return;
          }
          settings.onError?.(error);
          callback(smtpError(451, "4.3.0 Temporary failure, try again later"));
        },
      );
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(settings.port, settings.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  server.on("error", (error) => settings.onError?.(error));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
