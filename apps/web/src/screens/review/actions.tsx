import type { InvoiceAction, Transition } from "@remit/rules";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Button } from "../../components/ui/button";
import { Dialog } from "../../components/ui/dialog";
import { FormError, Labelled } from "../../components/ui/field";
import { messageOf } from "../../lib/errors";
import { navigate } from "../../lib/router";
import { type InvoiceDetail, useTRPC } from "../../lib/trpc";
import type { InvoiceForm } from "./use-invoice-form";

/* Marking paid has its own dialog (mark-paid.tsx): it asks for the date and a reference. */
type Action = Exclude<Transition, "markPaid">;

const labels: Record<Action, string> = {
  submit: "Submit",
  verify: "Verify",
  approve: "Approve",
  reject: "Reject",
};

/**
 * The lifecycle buttons the caller's role and the invoice's status allow. Unsaved edits are
 * saved first, so an action never acts on values the user has not seen stored.
 */
export function Actions({
  invoice,
  form,
  confirming,
  setConfirming,
}: {
  invoice: InvoiceDetail;
  form: InvoiceForm;
  confirming: "approve" | "reject" | "delete" | null;
  setConfirming: (which: "approve" | "reject" | "delete" | null) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const submit = useMutation(trpc.invoice.submit.mutationOptions());
  const verify = useMutation(trpc.invoice.verify.mutationOptions());
  const approve = useMutation(trpc.invoice.approve.mutationOptions());
  const reject = useMutation(trpc.invoice.reject.mutationOptions());
  const remove = useMutation(trpc.invoice.delete.mutationOptions());
  const [error, setError] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [acknowledged, setAcknowledged] = useState(false);
  const warnings = invoice.review.standingWarnings;
  // The server's answer (@remit/rules allowedActions, with separation of duties applied): the
  // lifecycle steps open to this person, and those left to someone who took no step yet.
  const allowed = invoice.allowedActions;
  const actions = allowed.actions.filter((a: InvoiceAction): a is Action => a in labels);
  const waitingOnOthers = allowed.waitingOnOthers.length > 0;
  const canDelete = allowed.actions.includes("delete");

  async function run(action: Action) {
    setBusy(true);
    setError(null);
    try {
      if (action !== "reject" && !(await form.save())) {
        setError("Fix the highlighted fields first; nothing was changed.");
        return;
      }
      const input = { id: invoice.id };
      // Standing warnings are acknowledged explicitly (the box below), and recorded in the audit.
      const acknowledgeWarnings = acknowledged && warnings.length > 0;
      if (action === "submit") await submit.mutateAsync({ ...input, acknowledgeWarnings });
      if (action === "verify") await verify.mutateAsync(input);
      if (action === "approve") await approve.mutateAsync({ ...input, acknowledgeWarnings });
      if (action === "reject") await reject.mutateAsync({ ...input, reason: reason.trim() });
      setConfirming(null);
      setReason("");
      await Promise.all([
        queryClient.invalidateQueries(trpc.invoice.get.queryFilter({ id: invoice.id })),
        queryClient.invalidateQueries(trpc.invoice.list.pathFilter()),
        queryClient.invalidateQueries(trpc.invoice.waiting.pathFilter()),
        queryClient.invalidateQueries(trpc.invoice.waitingCount.pathFilter()),
        queryClient.invalidateQueries(trpc.comment.list.queryFilter({ invoiceId: invoice.id })),
      ]);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  async function onDelete() {
    setBusy(true);
    try {
      await remove.mutateAsync({ id: invoice.id });
      await queryClient.invalidateQueries(trpc.invoice.list.pathFilter());
      navigate("/");
    } catch (err) {
      setError(messageOf(err));
      setConfirming(null);
    } finally {
      setBusy(false);
    }
  }

  const onReject = (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) {
      setError("Say why the invoice is rejected.");
      return;
    }
    void run("reject");
  };

  return (
    <div className="actions">
      {waitingOnOthers ? (
        <p className="muted">
          Separation of duties: someone who has not yet taken a step of this invoice's review must
          take the next one.
        </p>
      ) : null}
      {actions.length === 0 && !invoice.isLocked && !waitingOnOthers ? (
        <p className="muted">
          {invoice.status === "pending_verification" || invoice.status === "verified"
            ? "Waiting for a verifier or an admin."
            : "No action is open to you on this invoice."}
        </p>
      ) : null}
      {warnings.length > 0 && (actions.includes("submit") || actions.includes("approve")) ? (
        <label className="check">
          <input
            type="checkbox"
            checked={acknowledged}
            onChange={(e) => setAcknowledged(e.target.checked)}
          />{" "}
          I have checked the warnings above
        </label>
      ) : null}
      <div className="row">
        {actions.map((action) => (
          <Button
            key={action}
            className={action === "reject" ? "danger" : "primary"}
            disabled={busy}
            onClick={() => {
              setError(null);
              if (action === "approve" || action === "reject") setConfirming(action);
              else void run(action);
            }}
          >
            {labels[action]}
          </Button>
        ))}
        {canDelete ? (
          <Button variant="danger-quiet" disabled={busy} onClick={() => setConfirming("delete")}>
            Delete draft
          </Button>
        ) : null}
      </div>
      {confirming === null ? <FormError message={error} /> : null}

      <Dialog
        open={confirming === "approve"}
        title="Approve to accounts payable?"
        onClose={() => setConfirming(null)}
      >
        {invoice.review.approval.chain.length + 1 >= invoice.review.approval.requiredApprovals ? (
          <p>
            Invoice {invoice.invoiceNumber ?? "without a number"} will be approved and{" "}
            <strong>locked for good</strong>: nobody can change it afterwards
            {invoice.review.approval.requireAdmin ? " (once an admin has approved it)" : ""}.
            {form.dirty ? " Your unsaved changes are saved first." : ""}
          </p>
        ) : (
          <p>
            Your approval is recorded. Invoice {invoice.invoiceNumber ?? "without a number"} needs{" "}
            {invoice.review.approval.requiredApprovals} approvals; it locks for good with the last
            one.
            {form.dirty ? " Your unsaved changes are saved first." : ""}
          </p>
        )}
        <FormError message={error} />
        <ConfirmRow
          label={busy ? "Approving…" : "Confirm approval"}
          tone="primary"
          busy={busy}
          onConfirm={() => run("approve")}
          onCancel={() => setConfirming(null)}
        />
      </Dialog>

      <Dialog
        open={confirming === "reject"}
        title="Reject this invoice?"
        onClose={() => setConfirming(null)}
      >
        <form className="stack" onSubmit={onReject}>
          <p>It goes back to draft, and the reason is added to its comments.</p>
          <Labelled label="Reason">
            <textarea
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              rows={3}
              required
              maxLength={2000}
            />
          </Labelled>
          <FormError message={error} />
          <ConfirmRow
            label={busy ? "Rejecting…" : "Confirm rejection"}
            tone="danger"
            busy={busy}
            onCancel={() => setConfirming(null)}
          />
        </form>
      </Dialog>

      <Dialog
        open={confirming === "delete"}
        title="Delete this draft?"
        onClose={() => setConfirming(null)}
      >
        <p>The invoice and its file are removed. This cannot be undone.</p>
        <ConfirmRow
          label="Confirm delete"
          tone="danger"
          busy={busy}
          onConfirm={onDelete}
          onCancel={() => setConfirming(null)}
        />
      </Dialog>
    </div>
  );
}

/**
 * A dialog's confirm and cancel buttons. Without onConfirm the confirm button submits the
 * dialog's form (the reject reason is validated by the browser first).
 */
function ConfirmRow({
  label,
  tone,
  busy,
  onConfirm,
  onCancel,
}: {
  label: string;
  tone: "primary" | "danger";
  busy: boolean;
  onConfirm?: () => void;
  onCancel: () => void;
}) {
  return (
    <div className="row">
      <Button
        type={onConfirm ? "button" : "submit"}
        className={tone}
        disabled={busy}
        onClick={onConfirm}
      >
        {label}
      </Button>
      <Button onClick={onCancel}>Cancel</Button>
    </div>
  );
}
