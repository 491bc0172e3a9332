import { type Permission, transitions } from "@remit/rules";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "../../components/ui/button";
import { FormError, Labelled } from "../../components/ui/field";
import { messageOf } from "../../lib/errors";
import { downloadExport, type ExportFormat } from "../../lib/export";
import { type Outputs, useTRPC } from "../../lib/trpc";

type BulkAction = "submit" | "verify" | "approve" | "reject" | "delete";
type BulkAnswer = Outputs["invoice"]["bulk"];

/** Each button needs the permission the lifecycle (@remit/rules) gives its step. */
const actions: Array<{ action: BulkAction; label: string; permission: Permission }> = [
  { action: "submit", label: "Submit", permission: transitions.submit.permission },
  { action: "verify", label: "Verify", permission: transitions.verify.permission },
  { action: "approve", label: "Approve", permission: transitions.approve.permission },
  { action: "reject", label: "Reject", permission: transitions.reject.permission },
  { action: "delete", label: "Delete", permission: "invoice:delete" },
];

const done: Record<BulkAction, string> = {
  submit: "submitted",
  verify: "verified",
  approve: "approved",
  reject: "rejected",
  delete: "deleted",
};

/**
 * What to do with the selected invoices. The server runs each through the same step as one by
 * one (invoice.bulk) and answers per invoice; the report lists what failed and why.
 */
export function BulkBar({
  ids,
  labelOf,
  permissions,
  onClear,
}: {
  ids: string[];
  labelOf: (id: string) => string;
  /** The caller's permissions, as the server states them (tenant.current). */
  permissions: readonly string[];
  onClear: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const bulk = useMutation(
    trpc.invoice.bulk.mutationOptions({
      onSettled: () => queryClient.invalidateQueries(trpc.invoice.list.pathFilter()),
    }),
  );
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState("");
  const [acknowledge, setAcknowledge] = useState(false);
  const [report, setReport] = useState<{ action: BulkAction; answer: BulkAnswer } | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);

  const run = (action: BulkAction) => {
    if (action === "delete" && !window.confirm(`Delete ${ids.length} draft invoice(s)?`)) return;
    bulk.mutate(
      {
        action,
        ids,
        ...(action === "reject" ? { reason } : {}),
        acknowledgeWarnings: acknowledge,
      },
      {
        onSuccess: (answer) => {
          setReport({ action, answer });
          setRejecting(false);
          setReason("");
          // Keep the ones that failed selected, to fix and try again.
          if (answer.failed === 0) onClear();
        },
      },
    );
  };

  const exportSelected = async (format: ExportFormat) => {
    setExportError(await downloadExport(format, { ids }));
  };

  return (
    <section className="bulk-bar" aria-label="Selected invoices">
      {ids.length > 0 ? (
        <div className="row">
          <strong>{ids.length} selected</strong>
          {actions
            .filter((a) => permissions.includes(a.permission))
            .map((a) => (
              <Button
                key={a.action}
                disabled={bulk.isPending}
                onClick={() => (a.action === "reject" ? setRejecting(true) : run(a.action))}
              >
                {a.label}
              </Button>
            ))}
          <Button onClick={() => exportSelected("csv")}>Export CSV</Button>
          <Button onClick={() => exportSelected("ubl")}>Export UBL</Button>
          <label className="check">
            <input
              type="checkbox"
              checked={acknowledge}
              onChange={(e) => setAcknowledge(e.target.checked)}
            />
            I have checked their warnings
          </label>
          <Button variant="link" onClick={onClear}>
            Clear selection
          </Button>
        </div>
      ) : null}
      {rejecting ? (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            run("reject");
          }}
        >
          <Labelled label="Reason" inline>
            <input value={reason} required onChange={(e) => setReason(e.target.value)} />
          </Labelled>
          <Button type="submit" variant="primary" disabled={bulk.isPending}>
            Reject {ids.length}
          </Button>
          <Button variant="link" onClick={() => setRejecting(false)}>
            Cancel
          </Button>
        </form>
      ) : null}
      {bulk.isPending ? <p role="status">Working on {ids.length} invoices…</p> : null}
      {bulk.error ? <FormError message={messageOf(bulk.error)} /> : null}
      {exportError ? <FormError message={exportError} /> : null}
      {report ? (
        <div className="bulk-report" role="status" data-testid="bulk-report">
          <p>
            {report.answer.results.length - report.answer.failed} of {report.answer.results.length}{" "}
            {done[report.action]}
            {report.answer.failed > 0 ? `; ${report.answer.failed} could not be:` : "."}
          </p>
          {report.answer.failed > 0 ? (
            <ul>
              {report.answer.results
                .filter((r) => !r.ok)
                .map((r) => (
                  <li key={r.id}>
                    <strong>{labelOf(r.id)}</strong>: {r.ok ? "" : r.message}
                  </li>
                ))}
            </ul>
          ) : null}
          <Button variant="link" onClick={() => setReport(null)}>
            Dismiss
          </Button>
        </div>
      ) : null}
    </section>
  );
}
