#!/usr/bin/env node
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { csvLine } from "../csv";
import { createRemitClient } from "../index";
import { UploadRejectedError, uploadInvoice } from "../upload";
import { parseCliEnv } from "./env";

/*
 * remit upload <files or folders…>   upload every file (folders recursively); exit 1 if any failed
 * remit export --status approved_to_ap --format csv   write the tenant's invoices as CSV
 *
 * Authenticated by REMIT_TOKEN (a session token or JWT), against REMIT_URL.
 */

const usage = `usage:
  remit upload <files or folders...>
  remit export [--status draft|pending_verification|verified|approved_to_ap] [--format csv]`;

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

async function exportCsv(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { status: { type: "string" }, format: { type: "string", default: "csv" } },
  });
  if (values.format !== "csv") {
    console.error(`unknown format "${values.format}": only csv is supported`);
    return 2;
  }
  const statuses = ["draft", "pending_verification", "verified", "approved_to_ap"] as const;
  const status = statuses.find((s) => s === values.status);
  if (values.status && !status) {
    console.error(`unknown status "${values.status}": use one of ${statuses.join(", ")}`);
    return 2;
  }
  const env = parseCliEnv();
  const client = createRemitClient({ url: env.REMIT_URL, token: env.REMIT_TOKEN });
  console.log(
    csvLine([
      "id",
      "status",
      "invoice_number",
      "supplier",
      "invoice_date",
      "due_date",
      "currency",
      "total",
      "approved_at",
    ]),
  );
  let cursor: string | undefined;
  do {
    const page = await client.invoice.list.query({ status, limit: 100, cursor });
    for (const i of page.items) {
      console.log(
        csvLine([
          i.id,
          i.status,
          i.invoiceNumber,
          i.supplierName,
          i.invoiceDate,
          i.dueDate,
          i.currency,
          i.total,
          i.approvedAt?.toISOString(),
        ]),
      );
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return 0;
}

async function main(command: string | undefined, rest: string[]): Promise<number> {
  if (command === "upload") return upload(rest);
  if (command === "export") return exportCsv(rest);
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
