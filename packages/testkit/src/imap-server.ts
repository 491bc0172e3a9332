import { createServer, type Socket } from "node:net";

/*
 * A small IMAP4rev1 server on 127.0.0.1 for tests: just what an IMAP client (imapflow) needs to
 * log in, open a folder, search and fetch by UID, flag, move and log out. The mailboxes are test
 * data held in memory; the client under test is the product's real code. It implements
 * CAPABILITY, NOOP, LOGIN, LIST, STATUS, SELECT/EXAMINE, (UID) SEARCH, (UID) FETCH (UID, FLAGS,
 * RFC822.SIZE, INTERNALDATE, BODY[]/BODY.PEEK[]), (UID) STORE, (UID) COPY, (UID) MOVE,
 * (UID) EXPUNGE, CLOSE and LOGOUT; synchronising literals are read. No TLS: tests that need
 * plaintext IMAP must allow it, as an operator would.
 */

export interface TestImapMessage {
  uid: number;
  raw: Buffer;
  flags: Set<string>;
  internalDate: Date;
}

export interface TestImapFolder {
  name: string;
  uidValidity: number;
  uidNext: number;
  messages: TestImapMessage[];
}

export interface TestImapServerOptions {
  /** MOVE is advertised unless false (then a client copies, flags \Deleted and expunges). */
  move?: boolean;
  /** Accept connections but never send the greeting (a server that hangs). */
  silent?: boolean;
  /** Answer NO to MOVE and COPY (the processed folder cannot be written). */
  refuseMove?: boolean;
}

export interface TestImapServer {
  host: "127.0.0.1";
  port: number;
  addAccount(user: string, password: string): void;
  /** Appends a message to a folder (INBOX by default); answers its UID. */
  deliver(user: string, raw: string | Buffer, folder?: string): number;
  createFolder(user: string, name: string): void;
  folder(user: string, name: string): TestImapFolder | undefined;
  /** Starts the folder's UIDs over under a new UIDVALIDITY (as after a server migration). */
  renumber(user: string, folder: string, uidValidity: number): void;
  /** Every command received, its password replaced by "***". */
  commands: string[];
  logins: number;
  close(): Promise<void>;
}

type Token = string | Token[];

function tokenize(text: string): Token[] {
  let at = 0;
  const list = (): Token[] => {
    const out: Token[] = [];
    while (at < text.length) {
      const c = text[at];
      if (c === " ") {
        at++;
      } else if (c === "(") {
        at++;
        out.push(list());
      } else if (c === ")") {
        at++;
        return out;
      } else if (c === '"') {
        at++;
        let value = "";
        while (at < text.length && text[at] !== '"') {
          if (text[at] === "\\") at++;
          value += text[at++];
        }
        at++;
        out.push(value);
      } else {
        let value = "";
        let depth = 0;
        while (at < text.length) {
          const d = text[at] as string;
          if (d === "[") depth++;
          if (d === "]") depth--;
          if (depth === 0 && (d === " " || d === "(" || d === ")")) break;
          value += d;
          at++;
        }
        out.push(value);
      }
    }
    return out;
  };
  return list();
}

const quote = (text: string) => `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

/** The numbers a sequence set names, among `all` (sorted); `*` is the largest. */
function inSet(set: string, all: number[]): number[] {
  const max = all.length > 0 ? (all[all.length - 1] as number) : 0;
  const value = (part: string) => (part === "*" ? max : Number(part));
  const picked = new Set<number>();
  for (const range of set.split(",")) {
    const [a = "", b] = range.split(":");
    const lo = Math.min(value(a), value(b ?? a));
    const hi = Math.max(value(a), value(b ?? a));
    for (const n of all) if (n >= lo && n <= hi) picked.add(n);
  }
  return all.filter((n) => picked.has(n));
}

export async function startImapServer(
  options: TestImapServerOptions = {},
): Promise<TestImapServer> {
  const accounts = new Map<string, { password: string; folders: Map<string, TestImapFolder> }>();
  const commands: string[] = [];
  const sockets = new Set<Socket>();
  const capabilities = `IMAP4rev1 UIDPLUS${options.move === false ? "" : " MOVE"}`;
  let logins = 0;

  const newFolder = (name: string): TestImapFolder => ({
    name,
    uidValidity: 1000 + Math.floor(Math.random() * 1000),
    uidNext: 1,
    messages: [],
  });
  const account = (user: string) => {
    const found = accounts.get(user);
    if (!found) throw new Error(`no test account ${user}`);
    return found;
  };
  const folderOf = (user: string, name: string) =>
    account(user).folders.get(name.toUpperCase() === "INBOX" ? "INBOX" : name);

  function session(socket: Socket) {
    let user: string | null = null;
    let selected: TestImapFolder | null = null;
    let readOnly = false;
    let buffer = Buffer.alloc(0);
    let command = "";
    let literalLeft = 0;
    let literal: Buffer[] = [];

    const send = (line: string | Buffer) => {
      if (!socket.destroyed) socket.write(typeof line === "string" ? `${line}\r\n` : line);
    };

    const fetchLine = (message: TestImapMessage, seq: number, items: string[], uid: boolean) => {
      const parts: Array<string | Buffer> = [];
      const wanted = new Set(items.map((i) => i.toUpperCase()));
      if (uid) wanted.add("UID");
      if (wanted.has("BODY[]") && !readOnly) message.flags.add("\\Seen");
      if (wanted.has("UID")) parts.push(`UID ${message.uid}`);
      if (wanted.has("FLAGS")) parts.push(`FLAGS (${[...message.flags].join(" ")})`);
      if (wanted.has("RFC822.SIZE")) parts.push(`RFC822.SIZE ${message.raw.length}`);
      if (wanted.has("INTERNALDATE")) {
        parts.push(`INTERNALDATE ${quote(message.internalDate.toUTCString())}`);
      }
      const out: Array<string | Buffer> = [`* ${seq} FETCH (`];
      out.push(parts.join(" "));
      if (wanted.has("BODY[]") || wanted.has("BODY.PEEK[]")) {
        out.push(`${parts.length > 0 ? " " : ""}BODY[] {${message.raw.length}}\r\n`, message.raw);
      }
      out.push(")\r\n");
      send(Buffer.concat(out.map((p) => (typeof p === "string" ? Buffer.from(p) : p))));
    };

    const expunge = (folder: TestImapFolder, uids: Set<number>) => {
      for (let i = folder.messages.length - 1; i >= 0; i--) {
        const message = folder.messages[i] as TestImapMessage;
        if (uids.has(message.uid)) {
          folder.messages.splice(i, 1);
          if (folder === selected) send(`* ${i + 1} EXPUNGE`);
        }
      }
    };

    const run = (tag: string, name: string, args: Token[]) => {
      const ok = (text = `${name} completed`) => send(`${tag} OK ${text}`);
      const no = (text: string) => send(`${tag} NO ${text}`);
      const bad = (text: string) => send(`${tag} BAD ${text}`);
      const str = (i: number) => (typeof args[i] === "string" ? (args[i] as string) : "");
      let uidMode = false;
      if (name === "UID") {
        uidMode = true;
        name = str(0).toUpperCase();
        args = args.slice(1);
      }
      switch (name) {
        case "CAPABILITY":
          send(`* CAPABILITY ${capabilities}`);
          return ok();
        case "NOOP":
          return ok();
        case "LOGOUT":
          send("* BYE Logging out");
          ok();
          socket.end();
          return;
        case "LOGIN": {
          const found = accounts.get(str(0));
          if (!found || found.password !== str(1)) {
            return no("[AUTHENTICATIONFAILED] Invalid credentials");
          }
          user = str(0);
          logins++;
          return ok(`[CAPABILITY ${capabilities}] Logged in`);
        }
      }
      if (!user) return bad("Log in first");
      const folders = account(user).folders;
      switch (name) {
        case "LIST": {
          const pattern = str(1);
          if (pattern === "") {
            send('* LIST (\\Noselect) "/" ""');
            return ok();
          }
          for (const folder of folders.values()) {
            const matches =
              pattern === "*" ||
              pattern === "%" ||
              folder.name.toUpperCase() === pattern.toUpperCase();
            if (matches) send(`* LIST () "/" ${quote(folder.name)}`);
          }
          return ok();
        }
        case "STATUS": {
          const folder = folderOf(user, str(0));
          if (!folder) return no("[NONEXISTENT] No such folder");
          const unseen = folder.messages.filter((m) => !m.flags.has("\\Seen")).length;
          send(
            `* STATUS ${quote(folder.name)} (MESSAGES ${folder.messages.length} UIDNEXT ${folder.uidNext} UIDVALIDITY ${folder.uidValidity} UNSEEN ${unseen})`,
          );
          return ok();
        }
        case "SELECT":
        case "EXAMINE": {
          const folder = folderOf(user, str(0));
          if (!folder) {
            selected = null;
            return no("[NONEXISTENT] No such folder");
          }
          selected = folder;
          readOnly = name === "EXAMINE";
          send("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)");
          send("* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags");
          send(`* ${folder.messages.length} EXISTS`);
          send("* 0 RECENT");
          send(`* OK [UIDVALIDITY ${folder.uidValidity}] UIDs valid`);
          send(`* OK [UIDNEXT ${folder.uidNext}] Predicted next UID`);
          return ok(`[${readOnly ? "READ-ONLY" : "READ-WRITE"}] ${name} completed`);
        }
      }
      if (!selected) return bad("Select a folder first");
      const folder = selected;
      const uids = folder.messages.map((m) => m.uid);
      const seqs = folder.messages.map((_, i) => i + 1);
      const pick = (set: string) =>
        uidMode
          ? inSet(set, uids).map(
              (uid) => folder.messages.find((m) => m.uid === uid) as TestImapMessage,
            )
          : inSet(set, seqs).map((seq) => folder.messages[seq - 1] as TestImapMessage);
      const seqOf = (message: TestImapMessage) => folder.messages.indexOf(message) + 1;
      switch (name) {
        case "SEARCH": {
          let found = [...folder.messages];
          for (let i = 0; i < args.length; i++) {
            const key = str(i).toUpperCase();
            if (key === "ALL") continue;
            if (key === "UID") {
              const allowed = new Set(inSet(str(++i), uids));
              found = found.filter((m) => allowed.has(m.uid));
            } else if (key === "UNSEEN") found = found.filter((m) => !m.flags.has("\\Seen"));
            else if (key === "SEEN") found = found.filter((m) => m.flags.has("\\Seen"));
            else if (/^[\d*:,]+$/.test(key)) {
              const allowed = new Set(inSet(key, seqs));
              found = found.filter((m) => allowed.has(seqOf(m)));
            } else return bad(`Unsupported search key ${key}`);
          }
          const numbers = found.map((m) => (uidMode ? m.uid : seqOf(m)));
          send(`* SEARCH${numbers.map((n) => ` ${n}`).join("")}`);
          return ok();
        }
        case "FETCH": {
          const items = Array.isArray(args[1]) ? (args[1] as Token[]).map(String) : [str(1)];
          for (const message of pick(str(0))) fetchLine(message, seqOf(message), items, uidMode);
          return ok();
        }
        case "STORE": {
          if (readOnly) return no("Folder is read-only");
          const mode = str(1).toUpperCase();
          const flags = (Array.isArray(args[2]) ? (args[2] as Token[]) : [args[2] ?? ""]).map(
            String,
          );
          for (const message of pick(str(0))) {
            if (mode.startsWith("+")) for (const f of flags) message.flags.add(f);
            else if (mode.startsWith("-")) for (const f of flags) message.flags.delete(f);
            else message.flags = new Set(flags);
            if (!mode.endsWith(".SILENT")) fetchLine(message, seqOf(message), ["FLAGS"], uidMode);
          }
          return ok();
        }
        case "COPY":
        case "MOVE": {
          if (name === "MOVE" && options.move === false) return bad("MOVE is not supported");
          if (options.refuseMove) return no("[CANNOT] The folder cannot be written");
          const target = folderOf(user, str(1));
          if (!target) return no("[TRYCREATE] No such folder");
          const messages = pick(str(0));
          const from: number[] = [];
          const to: number[] = [];
          for (const message of messages) {
            const uid = target.uidNext++;
            target.messages.push({ ...message, uid, flags: new Set(message.flags) });
            from.push(message.uid);
            to.push(uid);
          }
          const copyUid = `[COPYUID ${target.uidValidity} ${from.join(",")} ${to.join(",")}]`;
          if (name === "MOVE") {
            send(`* OK ${copyUid} Moved`);
            expunge(folder, new Set(from));
            return ok();
          }
          return ok(`${copyUid} COPY completed`);
        }
        case "EXPUNGE": {
          const deleted = folder.messages.filter((m) => m.flags.has("\\Deleted"));
          const limit = uidMode ? new Set(pick(str(0)).map((m) => m.uid)) : null;
          expunge(
            folder,
            new Set(deleted.filter((m) => !limit || limit.has(m.uid)).map((m) => m.uid)),
          );
          return ok();
        }
        case "CLOSE":
          if (!readOnly) {
            const gone = folder.messages.filter((m) => m.flags.has("\\Deleted")).map((m) => m.uid);
            folder.messages = folder.messages.filter((m) => !gone.includes(m.uid));
          }
          selected = null;
          return ok();
        default:
          return bad(`Unknown command ${name}`);
      }
    };

    const handle = (line: string) => {
      const tokens = tokenize(line);
      const tag = String(tokens[0] ?? "*");
      const name = String(tokens[1] ?? "").toUpperCase();
      const args = tokens.slice(2);
      commands.push(name === "LOGIN" ? `${tag} LOGIN ${String(args[0])} ***` : line.slice(0, 500));
      try {
        run(tag, name, args);
      } catch (error) {
        send(`${tag} BAD ${(error as Error).message}`);
      }
    };

    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (literalLeft > 0) {
          const take = buffer.subarray(0, literalLeft);
          literal.push(take);
          literalLeft -= take.length;
          buffer = buffer.subarray(take.length);
          if (literalLeft > 0) return;
          // A literal becomes a quoted string: the tokenizer reads both alike.
          command += quote(Buffer.concat(literal).toString("utf8"));
          literal = [];
          continue;
        }
        const end = buffer.indexOf("\r\n");
        if (end < 0) return;
        const line = buffer.subarray(0, end).toString("utf8");
        buffer = buffer.subarray(end + 2);
        const size = /\{(\d+)(\+?)\}$/.exec(line);
        if (size) {
          command += line.slice(0, size.index);
          literalLeft = Number(size[1]);
          if (size[2] !== "+") send("+ Ready for literal");
          if (literalLeft === 0) command += '""';
          continue;
        }
        command += line;
        const complete = command;
        command = "";
        handle(complete);
      }
    });
  }

  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    if (options.silent) return;
    socket.write(`* OK [CAPABILITY ${capabilities}] Test IMAP server ready\r\n`);
    session(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;

  return {
    host: "127.0.0.1",
    port,
    commands,
    get logins() {
      return logins;
    },
    addAccount(user, password) {
      accounts.set(user, { password, folders: new Map([["INBOX", newFolder("INBOX")]]) });
    },
    deliver(user, raw, folder = "INBOX") {
      const target = folderOf(user, folder);
      if (!target) throw new Error(`no folder ${folder}`);
      const uid = target.uidNext++;
      target.messages.push({
        uid,
        raw: Buffer.isBuffer(raw) ? raw : Buffer.from(raw.replace(/\r?\n/g, "\r\n")),
        flags: new Set(),
        internalDate: new Date(),
      });
      return uid;
    },
    createFolder(user, name) {
      account(user).folders.set(name, newFolder(name));
    },
    folder: folderOf,
    renumber(user, name, uidValidity) {
      const folder = folderOf(user, name);
      if (!folder) throw new Error(`no folder ${name}`);
      folder.uidValidity = uidValidity;
      folder.uidNext = 1;
      for (const message of folder.messages) message.uid = folder.uidNext++;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
