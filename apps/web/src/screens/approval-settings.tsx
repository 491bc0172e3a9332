import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { Button } from "../components/ui/button";
import { Dialog } from "../components/ui/dialog";
import { FormError } from "../components/ui/field";
import { Spinner } from "../components/ui/spinner";
import { messageOf } from "../lib/errors";
import { useTRPC } from "../lib/trpc";

interface BandRow {
  key: string;
  currency: string;
  minTotal: string;
  requiredApprovals: number;
  requireAdmin: boolean;
}

const newRow = (): BandRow => ({
  key: crypto.randomUUID(),
  currency: "EUR",
  minTotal: "0.00",
  requiredApprovals: 1,
  requireAdmin: false,
});

/**
 * The tenant's approval policy, for admins (settings.setApprovalBands and
 * settings.setSeparationOfDuties, both audited): amount bands per currency (from a total up, how
 * many approvals, whether one must be an admin's), and separation of duties, which only a
 * one-person company should turn off.
 */
export default function ApprovalSettings() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const settings = useQuery(trpc.settings.get.queryOptions());
  const saveBands = useMutation(trpc.settings.setApprovalBands.mutationOptions());
  const setDuties = useMutation(trpc.settings.setSeparationOfDuties.mutationOptions());
  const [rows, setRows] = useState<BandRow[] | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirmRelax, setConfirmRelax] = useState(false);
  const [dutiesError, setDutiesError] = useState<string | null>(null);

  useEffect(() => {
    if (settings.data && rows === null) {
      setRows(settings.data.bands.map((b) => ({ ...b, key: crypto.randomUUID() })));
    }
  }, [settings.data, rows]);

  if (settings.isPending || rows === null) return <Spinner label="Loading the approval policy…" />;
  if (settings.isError) return <FormError message={messageOf(settings.error)} />;
  const separated = settings.data.separationOfDuties;

  const change = (key: string, patch: Partial<BandRow>) =>
    setRows((current) => (current ?? []).map((r) => (r.key === key ? { ...r, ...patch } : r)));

  async function onSave(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setSaved(null);
    try {
      const result = await saveBands.mutateAsync({
        bands: (rows ?? []).map(({ key: _, ...band }) => ({
          ...band,
          currency: band.currency.trim().toUpperCase(),
          minTotal: band.minTotal.trim(),
        })),
      });
      setRows(result.bands.map((b) => ({ ...b, key: crypto.randomUUID() })));
      await queryClient.invalidateQueries(trpc.settings.get.pathFilter());
      setSaved("Approval bands saved.");
    } catch (err) {
      setError(messageOf(err));
    }
  }

  async function onDuties(enabled: boolean) {
    setDutiesError(null);
    try {
      await setDuties.mutateAsync({ enabled });
      setConfirmRelax(false);
      await queryClient.invalidateQueries(trpc.settings.get.pathFilter());
    } catch (err) {
      setDutiesError(messageOf(err));
    }
  }

  return (
    <section className="page" aria-labelledby="approval-title">
      <h1 id="approval-title">Approval policy</h1>

      <section aria-labelledby="bands-title" className="card stack">
        <h2 id="bands-title">Approval bands</h2>
        <p className="muted">
          An invoice falls in the highest band of its currency at or below its total. It locks once
          it has the band's number of approvals (one of them an admin's where the band says so). An
          invoice no band covers needs one approval.
        </p>
        <form onSubmit={onSave} className="stack">
          <table className="bands-table">
            <thead>
              <tr>
                <th scope="col">Currency</th>
                <th scope="col">From total</th>
                <th scope="col">Approvals required</th>
                <th scope="col">An admin must approve</th>
                <th scope="col">
                  <span className="visually-hidden">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => (
                <tr key={row.key}>
                  <td>
                    <input
                      aria-label={`Band ${index + 1} currency`}
                      value={row.currency}
                      maxLength={3}
                      size={4}
                      pattern="[A-Za-z]{3}"
                      required
                      onChange={(e) => change(row.key, { currency: e.target.value })}
                    />
                  </td>
                  <td>
                    <input
                      aria-label={`Band ${index + 1} from total`}
                      value={row.minTotal}
                      inputMode="decimal"
                      required
                      onChange={(e) => change(row.key, { minTotal: e.target.value })}
                    />
                  </td>
                  <td>
                    <input
                      aria-label={`Band ${index + 1} approvals required`}
                      type="number"
                      min={1}
                      max={10}
                      value={row.requiredApprovals}
                      onChange={(e) =>
                        change(row.key, { requiredApprovals: Number(e.target.value) })
                      }
                    />
                  </td>
                  <td>
                    <input
                      aria-label={`Band ${index + 1} an admin must approve`}
                      type="checkbox"
                      checked={row.requireAdmin}
                      onChange={(e) => change(row.key, { requireAdmin: e.target.checked })}
                    />
                  </td>
                  <td>
                    <Button
                      variant="link"
                      onClick={() => setRows(rows.filter((r) => r.key !== row.key))}
                    >
                      Remove
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {rows.length === 0 ? (
            <p className="muted">No bands: every invoice needs one approval.</p>
          ) : null}
          <div className="row">
            <Button onClick={() => setRows([...rows, newRow()])}>Add band</Button>
            <Button type="submit" variant="primary" disabled={saveBands.isPending}>
              {saveBands.isPending ? "Saving…" : "Save bands"}
            </Button>
            {saved ? (
              <span className="hint" role="status">
                {saved}
              </span>
            ) : null}
          </div>
          <FormError message={error} />
        </form>
      </section>

      <section aria-labelledby="duties-title" className="card stack">
        <h2 id="duties-title">Separation of duties</h2>
        <p>
          {separated
            ? "On: whoever submits an invoice may not verify it, and whoever submits or verifies it may not approve it."
            : "Off: one person may submit, verify and approve the same invoice. Every invoice where that happens says “separation of duties relaxed”."}
        </p>
        {separated ? (
          <Button variant="danger" onClick={() => setConfirmRelax(true)}>
            Relax separation of duties…
          </Button>
        ) : (
          <Button variant="primary" onClick={() => onDuties(true)} disabled={setDuties.isPending}>
            Separate duties again
          </Button>
        )}
        {confirmRelax ? null : <FormError message={dutiesError} />}
        <Dialog
          open={confirmRelax}
          title="Relax separation of duties?"
          onClose={() => setConfirmRelax(false)}
        >
          <p className="alert alert-warn">
            <strong>Only for a one- or two-person company.</strong> Without separation of duties one
            person can submit, verify and approve an invoice alone, which is what auditors and fraud
            controls look for. The change is recorded in the audit log, and every invoice reviewed
            that way is flagged.
          </p>
          <FormError message={dutiesError} />
          <div className="row">
            <Button variant="danger" onClick={() => onDuties(false)} disabled={setDuties.isPending}>
              Relax it
            </Button>
            <Button onClick={() => setConfirmRelax(false)}>Cancel</Button>
          </div>
        </Dialog>
      </section>
    </section>
  );
}
