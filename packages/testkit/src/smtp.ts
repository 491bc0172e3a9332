import { connect, type Socket } from "node:net";

/*
 * A bare SMTP client over a socket, for the attack suite and the mail benchmark: every reply
 * code is visible (a refused RCPT among accepted ones, a 552 after DATA), and the message is
 * sent byte for byte as given, malformed or not. Loopback only; every wait is bounded.
 */

export interface SmtpSendResult {
  /** The reply to each RCPT TO, in order. */
  rcpt: number[];
  /** The reply to the message (after the final dot); null when no recipient was accepted. */
  data: number | null;
  /** The text of the last reply, for notes. */
  last: string;
}

class Replies {
  private buffer = "";
  private waiting: Array<(line: { code: number; text: string }) => void> = [];
  private ready: Array<{ code: number; text: string }> = [];

  constructor(socket: Socket) {
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      this.buffer += chunk;
      let end = this.buffer.indexOf("\r\n");
      while (end >= 0) {
        const line = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        // A multi-line reply continues with "250-"; its last line has a space after the code.
        if (/^\d{3} /.test(line) || /^\d{3}$/.test(line)) {
          const reply = { code: Number(line.slice(0, 3)), text: line.slice(4) };
          const next = this.waiting.shift();
          if (next) next(reply);
          else this.ready.push(reply);
        }
        end = this.buffer.indexOf("\r\n");
      }
    });
  }

  next(timeoutMs: number): Promise<{ code: number; text: string }> {
    const ready = this.ready.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no SMTP reply in time")), timeoutMs);
      this.waiting.push((reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
    });
  }
}

/** Sends one message: EHLO, MAIL FROM, each RCPT TO, then DATA if any recipient was taken. */
export async function smtpSend(options: {
  port: number;
  from: string;
  to: string[];
  /** The whole message, headers and body, CRLF line ends. */
  message: string | Buffer;
  timeoutMs?: number;
}): Promise<SmtpSendResult> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const socket = connect({ host: "127.0.0.1", port: options.port });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  socket.on("error", () => {});
  const replies = new Replies(socket);
  const command = async (line: string) => {
    socket.write(`${line}\r\n`);
    return replies.next(timeoutMs);
  };
  try {
    await replies.next(timeoutMs);
    await command("EHLO client.test");
    await command(`MAIL FROM:<${options.from}>`);
    const rcpt: number[] = [];
    let last = "";
    for (const to of options.to) {
      const reply = await command(`RCPT TO:<${to}>`);
      rcpt.push(reply.code);
      last = reply.text;
    }
    if (!rcpt.some((code) => code === 250)) return { rcpt, data: null, last };
    const go = await command("DATA");
    if (go.code !== 354) return { rcpt, data: go.code, last: go.text };
    const body = Buffer.isBuffer(options.message)
      ? options.message.toString("latin1")
      : options.message;
    // Dot-stuffing: a line that starts with "." gets another.
    socket.write(`${body.replace(/\r\n\./g, "\r\n..")}\r\n.\r\n`, "latin1");
    const done = await replies.next(timeoutMs);
    await command("QUIT").catch(() => undefined);
    return { rcpt, data: done.code, last: done.text };
  } finally {
    socket.destroy();
  }
}

/** A message with one base64 attachment, built by hand. */
export function mimeMessage(options: {
  from: string;
  to: string[];
  subject: string;
  text: string;
  attachments?: Array<{ filename: string; contentType: string; content: Buffer }>;
  extraHeaders?: string[];
}): string {
  const boundary = `remit-${crypto.randomUUID()}`;
  const head = [
    `From: ${options.from}`,
    `To: ${options.to.join(", ")}`,
    `Subject: ${options.subject}`,
    `Message-ID: <${crypto.randomUUID()}@client.test>`,
    "MIME-Version: 1.0",
    ...(options.extraHeaders ?? []),
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    "",
  ];
  const parts = [
    `--${boundary}`,
    "Content-Type: text/plain; charset=utf-8",
    "",
    options.text,
    ...(options.attachments ?? []).flatMap((a) => [
      `--${boundary}`,
      `Content-Type: ${a.contentType}; name="${a.filename}"`,
      "Content-Transfer-Encoding: base64",
      `Content-Disposition: attachment; filename="${a.filename}"`,
      "",
      ...(a.content.toString("base64").match(/.{1,76}/g) ?? []),
    ]),
    `--${boundary}--`,
    "",
  ];
  return [...head, ...parts].join("\r\n");
}
