import { useState } from "react";
import { downloadExport, type ExportFormat, maxExportIds } from "../lib/export";
import { Button } from "./ui/button";
import { FormError } from "./ui/field";

/**
 * The inbox's Export: CSV (the same file as `remit export`) or EN 16931 UBL XML, one file per
 * invoice and a ZIP when there are several. Exports the current tab, or the invoices shown when
 * a search narrows the list.
 */
export function ExportMenu({
  status,
  shownIds,
  searching,
}: {
  status: string | undefined;
  shownIds: string[];
  searching: boolean;
}) {
  const [busy, setBusy] = useState<ExportFormat | null>(null);
  const [error, setError] = useState<string | null>(null);
  const onlyShown = searching && shownIds.length > 0;
  const tooMany = onlyShown && shownIds.length > maxExportIds;
  const scope = onlyShown ? { ids: shownIds } : { status };
  const what = onlyShown
    ? `the ${shownIds.length} invoice${shownIds.length === 1 ? "" : "s"} shown`
    : status
      ? "this tab"
      : "all invoices";

  const run = async (format: ExportFormat) => {
    setBusy(format);
    setError(null);
    setError(await downloadExport(format, scope));
    setBusy(null);
  };

  return (
    <fieldset className="export-menu">
      <legend className="hint">Export {what}:</legend>
      <Button
        disabled={busy !== null || tooMany}
        onClick={() => run("csv")}
        title="A spreadsheet of the invoices"
      >
        {busy === "csv" ? "Exporting…" : "CSV"}
      </Button>
      <Button
        disabled={busy !== null || tooMany}
        onClick={() => run("ubl")}
        title="EN 16931 UBL 2.1 XML: one file per invoice, a ZIP for several"
      >
        {busy === "ubl" ? "Exporting…" : "UBL XML"}
      </Button>
      {tooMany ? (
        <span className="hint">
          More than {maxExportIds} shown: clear the search to export the whole tab.
        </span>
      ) : null}
      {error ? <FormError message={error} /> : null}
    </fieldset>
  );
}
