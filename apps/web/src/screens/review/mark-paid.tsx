import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Button } from "../../components/ui/button";
import { Dialog } from "../../components/ui/dialog";
import { FormError, Labelled } from "../../components/ui/field";
import { messageOf } from "../../lib/errors";
import { type InvoiceDetail, useTRPC } from "../../lib/trpc";

const today = () => new Date().toISOString().slice(0, 10);

/**
 * The hand-off's last step: accounting paid an approved invoice (invoice.markPaid). Offered to
 * verifiers and admins on an approved invoice; the database allows nothing else after it.
 */
export function MarkPaid({ invoice }: { invoice: InvoiceDetail }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const markPaid = useMutation(trpc.invoice.markPaid.mutationOptions());
  const [open, setOpen] = useState(false);
  const [paidOn, setPaidOn] = useState(today);
  const [reference, setReference] = useState("");
  const [error, setError] = useState<string | null>(null);
  // The server's answer (invoice.get allowedActions): approved, and the caller may mark it paid.
  if (!invoice.allowedActions.actions.includes("markPaid")) return null;

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      await markPaid.mutateAsync({
        id: invoice.id,
        paidAt: paidOn || undefined,
        reference: reference.trim() || undefined,
      });
      setOpen(false);
      await Promise.all([
        queryClient.invalidateQueries(trpc.invoice.get.queryFilter({ id: invoice.id })),
        queryClient.invalidateQueries(trpc.invoice.list.pathFilter()),
      ]);
    } catch (err) {
      setError(messageOf(err));
    }
  }

  return (
    <div className="actions">
      <div className="row">
        <Button variant="primary" onClick={() => setOpen(true)}>
          Mark paid
        </Button>
      </div>
      <Dialog open={open} title="Mark this invoice paid?" onClose={() => setOpen(false)}>
        <form className="stack" onSubmit={onSubmit}>
          <p>
            Record that accounting paid it. A paid invoice stays locked, and this cannot be undone.
          </p>
          <Labelled label="Paid on">
            <input
              type="date"
              value={paidOn}
              max={today()}
              onChange={(e) => setPaidOn(e.target.value)}
            />
          </Labelled>
          <Labelled label="Payment reference (optional)">
            <input
              type="text"
              value={reference}
              maxLength={200}
              onChange={(e) => setReference(e.target.value)}
            />
          </Labelled>
          <FormError message={error} />
          <div className="row">
            <Button type="submit" variant="primary" disabled={markPaid.isPending}>
              {markPaid.isPending ? "Saving…" : "Confirm paid"}
            </Button>
            <Button onClick={() => setOpen(false)}>Cancel</Button>
          </div>
        </form>
      </Dialog>
    </div>
  );
}
