import { invoiceStatuses } from "@remit/db";
import { contentDisposition } from "@remit/storage";
import { z } from "zod";
import type { ApiDeps } from "../context";
import { BadRequestError, NotFoundError } from "../errors";
import { tenantById } from "../queries/memberships";
import { type RouteMeta, tenantRoute } from "../request/http-route";
import { invoicesCsv } from "./csv";
import { type ExportFilter, exportRows, maxExportInvoices } from "./rows";
import { ublFileName, ublXml } from "./ubl";
import { zipStored } from "./zip";

/*
 * GET /api/invoices/export?format=csv|ubl[&status=…][&ids=a,b,…]: the caller's tenant's
 * invoices as one CSV, one UBL XML, or a ZIP of UBL XML files. A procedure like invoice.list
 * (same chain, same permission), read in one withTenant transaction: ids of another tenant's
 * invoices match no row. No invoice matched for UBL or a selection is a 404.
 */

const query = z.object({
  format: z.enum(["csv", "ubl"]).default("csv"),
  status: z.enum(invoiceStatuses).optional(),
  ids: z
    .string()
    .transform((s) => s.split(",").filter(Boolean))
    .pipe(z.array(z.string().uuid()).min(1).max(maxExportInvoices))
    .optional(),
});

export interface ExportFile {
  filename: string;
  contentType: string;
  bytes: Uint8Array<ArrayBuffer>;
}

const encoder = new TextEncoder();

function parseQuery(url: URL): z.infer<typeof query> {
  const parsed = query.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) {
    throw new BadRequestError(
      "export takes format=csv or ubl, an optional status and optional ids (invoice ids, comma-separated)",
    );
  }
  return parsed.data;
}

function exportName(filter: ExportFilter, extension: string): string {
  const day = new Date().toISOString().slice(0, 10);
  const what = filter.ids ? "selected" : (filter.status ?? "all");
  return `invoices-${what}-${day}.${extension}`;
}

/** File names inside a ZIP, unique even when two invoices share a number. */
function uniqueNames(names: string[]): string[] {
  const seen = new Set<string>();
  return names.map((name) => {
    let candidate = name;
    for (let n = 2; seen.has(candidate); n++) candidate = name.replace(/\.xml$/, `-${n}.xml`);
    seen.add(candidate);
    return candidate;
  });
}

export function handleExport(deps: ApiDeps, request: Request, meta: RouteMeta) {
  return tenantRoute<ExportFile>(
    deps,
    request,
    meta,
    // The same permission as invoice.list, which the CLI's export used to page through.
    { procedure: "GET /api/invoices/export", permission: "invoice:read" },
    async (call) => {
      const input = parseQuery(new URL(request.url));
      const filter: ExportFilter = { status: input.status, ids: input.ids };
      const rows = await call.transaction(({ db }) => exportRows(db, call.actor.tenantId, filter));
      if (rows.length === 0 && (input.format === "ubl" || filter.ids)) {
        throw new NotFoundError("invoice");
      }
      if (input.format === "csv") {
        return {
          status: 200,
          body: {
            filename: exportName(filter, "csv"),
            contentType: "text/csv; charset=utf-8",
            bytes: encoder.encode(invoicesCsv(rows)),
          },
        };
      }
      const tenant = await tenantById(call.ctx.deps.db, call.actor.tenantId);
      const files = rows.map((row) => ({ name: ublFileName(row), xml: ublXml(row, tenant.name) }));
      const [only] = files;
      if (only && files.length === 1) {
        return {
          status: 200,
          body: {
            filename: only.name,
            contentType: "application/xml; charset=utf-8",
            bytes: encoder.encode(only.xml),
          },
        };
      }
      const names = uniqueNames(files.map((f) => f.name));
      return {
        status: 200,
        body: {
          filename: exportName(filter, "zip"),
          contentType: "application/zip",
          bytes: zipStored(
            files.map((f, i) => ({ name: names[i] as string, data: encoder.encode(f.xml) })),
          ),
        },
      };
    },
  );
}

/** The route's answer as a response: the file as an attachment, never cached; errors as JSON. */
export async function exportResponse(
  deps: ApiDeps,
  request: Request,
  meta: RouteMeta,
): Promise<Response> {
  const answer = await handleExport(deps, request, meta);
  const headers = new Headers({ "cache-control": "no-store" });
  if (answer.status === 200 && "bytes" in answer.body) {
    headers.set("content-type", answer.body.contentType);
    headers.set("content-disposition", contentDisposition(answer.body.filename));
    headers.set("x-content-type-options", "nosniff");
    return new Response(answer.body.bytes, { status: 200, headers });
  }
  headers.set("content-type", "application/json");
  return new Response(JSON.stringify(answer.body), { status: answer.status, headers });
}
