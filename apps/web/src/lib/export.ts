/*
 * GET /api/invoices/export as a file download. Same origin, so the session cookie goes with it;
 * fetched rather than followed as a link so that a refusal is a sentence on the page, not a
 * JSON body in a new tab.
 */

export type ExportFormat = "csv" | "ubl";

export interface ExportScope {
  status?: string | undefined;
  /** The invoices shown, when the list is narrowed by a search. */
  ids?: string[] | undefined;
}

/** Ids past this many would make the address too long: export the tab instead. */
export const maxExportIds = 200;

function filenameOf(disposition: string | null, fallback: string): string {
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? "")?.[1];
  if (encoded) {
    try {
      return decodeURIComponent(encoded);
    } catch {
      // fall through to the plain name
    }
  }
  return /filename="([^"]+)"/i.exec(disposition ?? "")?.[1] ?? fallback;
}

function explain(status: number, serverMessage: string | undefined): string {
  if (status === 401) return "You are signed out. Sign in again, then export.";
  if (status === 404) return "There is no invoice to export here.";
  if (status === 403) return `Not allowed${serverMessage ? `: ${serverMessage}` : ""}.`;
  return serverMessage ? `The export failed: ${serverMessage}.` : `The export failed (${status}).`;
}

/** Downloads the export; resolves to an error sentence, or null when the file was saved. */
export async function downloadExport(
  format: ExportFormat,
  scope: ExportScope,
): Promise<string | null> {
  const query = new URLSearchParams({ format });
  if (scope.ids) query.set("ids", scope.ids.join(","));
  else if (scope.status) query.set("status", scope.status);
  let response: Response;
  try {
    response = await fetch(`/api/invoices/export?${query}`, { credentials: "same-origin" });
  } catch {
    return "The export failed: the server could not be reached.";
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: string } | null;
    return explain(response.status, body?.error);
  }
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filenameOf(
    response.headers.get("content-disposition"),
    `invoices.${format === "csv" ? "csv" : "xml"}`,
  );
  document.body.append(link);
  link.click();
  link.remove();
  // The click has handed the blob to the download; free it on the next tick.
  setTimeout(() => URL.revokeObjectURL(url), 0);
  return null;
}
