#!/usr/bin/env node
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createRemitClient, TRPCClientError } from "../index";
import { UploadRejectedError, uploadInvoice } from "../upload";
import { parseCliEnv } from "./env";

/*
 * remit upload <files or folders…>   upload every file (folders recursively); exit 1 if any failed
 * remit export --status approved_to_ap --format csv|ubl   write the tenant's invoices as CSV, or
 *   as EN 16931 UBL XML (a ZIP of them for more than one invoice), on stdout
 * remit mark-paid <invoice id> [--paid-at 2026-11-27] [--reference TRX-1]   accounting paid an
 *   approved invoice (invoice.markPaid; a verifier's or an admin's token)
 *
 * Authenticated by REMIT_TOKEN (a session token or JWT), against REMIT_URL.
 */

const usage = `usage:
  remit upload <files or folders...>
  remit export [--status draft|pending_verification|verified|approved_to_ap|paid] [--format csv|ubl]
  remit mark-paid <invoice id> [--paid-at YYYY-MM-DD] [--reference TEXT]`;

async function* filesIn(paths: string[]): AsyncGenerator<string> {
  for (const path of paths) {
    const info = await stat(path).catch(() => null);
    if (info?.isDirectory()) {
      const entries = (await readdir(path)).sort();
      yield* filesIn(entries.filter((e) => !e.startsWith(".")).map((e) => join(path, e)));
    } else {
      yield path; // a missing path is reported as a failure by the upload itself
    }
  }
}

function bar(sent: number, total: number): string {
  const width = 24;
  const done = total === 0 ? width : Math.round((sent / total) * width);
  return `[${"#".repeat(done)}${".".repeat(width - done)}] ${Math.round((sent / Math.max(total, 1)) * 100)}%`;
}

async function upload(paths: string[]): Promise<number> {
  if (paths.length === 0) {
    console.error(usage);
    return 2;
  }
  const env = parseCliEnv();
  let failed = 0;
  let count = 0;
  for await (const path of filesIn(paths)) {
    count++;
    const live = process.stderr.isTTY;
    try {
      const outcome = await uploadInvoice({ url: env.REMIT_URL, token: env.REMIT_TOKEN }, path, {
        onProgress: ({ sent, total }) => {
          if (live) process.stderr.write(`\r${bar(sent, total)} ${path}`);
        },
      });
      if (live) process.stderr.write("\r\x1b[K");
      console.log(
        outcome.kind === "created"
          ? `uploaded   ${path} -> invoice ${outcome.invoiceId}`
          : `duplicate  ${path} -> already invoice ${outcome.invoiceId}`,
      );
    } catch (error) {
      if (live) process.stderr.write("\r\x1b[K");
      failed++;
      const reason =
        error instanceof UploadRejectedError
          ? `${error.message} (${error.status})`
          : (error as NodeJS.ErrnoException).code === "ENOENT"
            ? "no such file"
            : String((error as Error).message);
      console.log(`rejected   ${path}: ${reason}`);
    }
  }
  console.error(`${count - failed} of ${count} file(s) accepted`);
  return failed > 0 ? 1 : 0;
}

async function exportInvoices(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { status: { type: "string" }, format: { type: "string", default: "csv" } },
  });
  if (values.format !== "csv" && values.format !== "ubl") {
    console.error(`unknown format "${values.format}": use csv or ubl`);
    return 2;
  }
  const statuses = ["draft", "pending_verification", "verified", "approved_to_ap", "paid"] as const;
  const status = statuses.find((s) => s === values.status);
  if (values.status && !status) {
    console.error(`unknown status "${values.status}": use one of ${statuses.join(", ")}`);
    return 2;
  }
  const env = parseCliEnv();
  // The server writes the file (the web app downloads the very same one): CSV, one UBL XML, or
  // a ZIP of them for more than one invoice.
  const query = new URLSearchParams({ format: values.format });
  if (status) query.set("status", status);
  const response = await fetch(`${env.REMIT_URL.replace(/\/$/, "")}/api/invoices/export?${query}`, {
    headers: { authorization: `Bearer ${env.REMIT_TOKEN}` },
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: string } | null;
    console.error(`remit: ${body?.error ?? response.statusText} (${response.status})`);
    return 1;
  }
  process.stdout.write(new Uint8Array(await response.arrayBuffer()));
  return 0;
}

async function markPaid(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { "paid-at": { type: "string" }, reference: { type: "string" } },
  });
  const [id] = positionals;
  if (!id || positionals.length > 1) {
    console.error(usage);
    return 2;
  }
  const env = parseCliEnv();
  const client = createRemitClient({ url: env.REMIT_URL, token: env.REMIT_TOKEN });
  try {
    const paid = await client.invoice.markPaid.mutate({
      id,
      paidAt: values["paid-at"],
      reference: values.reference,
    });
    console.log(`paid       invoice ${paid.id} on ${paid.paidAt?.toISOString() ?? "?"}`);
    return 0;
  } catch (error) {
    if (error instanceof TRPCClientError) {
      console.error(`remit: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

async function main(command: string | undefined, rest: string[]): Promise<number> {
  if (command === "upload") return upload(rest);
  if (command === "export") return exportInvoices(rest);
  if (command === "mark-paid") return markPaid(rest);
  console.error(usage);
  return 2;
}

const [command, ...rest] = process.argv.slice(2);
try {
  process.exitCode = await main(command, rest);
} catch (error) {
  console.error(`remit: ${(error as Error).message}`);
  process.exitCode = 1;
}
