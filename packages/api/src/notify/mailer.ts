import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Transporter } from "nodemailer";

/*
 * Where notification mail goes: an SMTP server (REMIT_NOTIFY_SMTP_URL=smtp://…), or, in
 * development, a folder of .eml files (REMIT_NOTIFY_SMTP_URL=sink) that any mail client opens.
 */

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}

export type NotifySettings =
  | { kind: "smtp"; url: string; from: string }
  | { kind: "sink"; dir: string; from: string };

/**
 * nodemailer (about 50 modules) is imported by the first message, not by the API's start
 * (docs/benchmarks.md, bench:coldstart); the transport is made once.
 */
type Nodemailer = typeof import("nodemailer")["default"];
function lazyTransport(make: (mailer: Nodemailer) => Transporter) {
  let transport: Promise<Transporter> | undefined;
  return () => {
    transport ??= import("nodemailer").then(({ default: mailer }) => make(mailer));
    return transport;
  };
}

export function createMailer(settings: NotifySettings): Mailer {
  if (settings.kind === "smtp") {
    const transport = lazyTransport((mailer) => mailer.createTransport(settings.url));
    return {
      async send(mail) {
        await (await transport()).sendMail({ from: settings.from, ...mail });
      },
    };
  }
  // The whole message as it would go over the wire, one file per message.
  const transport = lazyTransport((mailer) =>
    mailer.createTransport({ streamTransport: true, buffer: true }),
  );
  return {
    async send(mail) {
      const info = await (await transport()).sendMail({ from: settings.from, ...mail });
      await mkdir(settings.dir, { recursive: true });
      const name = `${new Date().toISOString().replaceAll(":", "-")}-${crypto.randomUUID().slice(0, 8)}.eml`;
      await writeFile(join(settings.dir, name), info.message as Buffer);
    },
  };
}
