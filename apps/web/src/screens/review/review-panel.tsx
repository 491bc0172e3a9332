import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "../../components/ui/button";
import { FormError } from "../../components/ui/field";
import { messageOf } from "../../lib/errors";
import { formatDateTime } from "../../lib/format";
import { type InvoiceDetail, useTRPC } from "../../lib/trpc";

/*
 * The people behind an invoice and its approval ([5/7]): who rejected it and why, who
 * submitted, verified and approved it, how many approvals its policy asks and who gave them,
 * "separation of duties relaxed" where one person took two steps, and an OCR result that
 * arrived after the invoice left draft, with a button to apply it.
 */

type Person = { id: string; name: string | null } | null;
const nameOf = (p: Person) => (p ? (p.name ?? "a former member") : "—");

/** What the policy still wants: "1 more approval (an admin's)". */
function missing(
  counted: number,
  approval: {
    requiredApprovals: number;
    requireAdmin: boolean;
    chain: Array<{ approverRole: string }>;
  },
) {
  const left = Math.max(1, approval.requiredApprovals - counted);
  const adminMissing =
    approval.requireAdmin && !approval.chain.some((a) => a.approverRole === "admin");
  return `${left} more approval${left === 1 ? "" : "s"}${adminMissing ? " (an admin's among them)" : ""}`;
}

export function ReviewPanel({ invoice, readOnly }: { invoice: InvoiceDetail; readOnly: boolean }) {
  const trpc = useTRPC();
  const { review } = invoice;
  const { approval, people, rejection } = review;
  const queryClient = useQueryClient();
  const apply = useMutation(trpc.invoice.applyProposal.mutationOptions());
  const [error, setError] = useState<string | null>(null);
  const proposal = invoice.ocrProposal as {
    header?: Record<string, string>;
    lineItems?: unknown[] | null;
  } | null;
  const proposed = Object.entries(proposal?.header ?? {});
  const counted = approval.chain.length;

  async function applyProposal() {
    setError(null);
    try {
      await apply.mutateAsync({ id: invoice.id });
      await queryClient.invalidateQueries(trpc.invoice.get.queryFilter({ id: invoice.id }));
    } catch (err) {
      setError(messageOf(err));
    }
  }

  return (
    <section className="review-people" aria-labelledby="people-title">
      <h2 id="people-title" className="visually-hidden">
        Review
      </h2>
      {rejection ? (
        <p className="alert alert-error" role="status">
          <strong>Rejected</strong> by {nameOf(rejection.by)} on {formatDateTime(rejection.at)}
          {rejection.reason ? `: “${rejection.reason}”` : "."}
        </p>
      ) : null}
      {approval.dutiesRelaxed ? (
        <p className="badge badge-relaxed" role="note">
          Separation of duties relaxed: one person took more than one step of this review.
        </p>
      ) : null}
      <dl className="people">
        {people.submittedBy ? (
          <>
            <dt>Submitted by</dt>
            <dd>{nameOf(people.submittedBy)}</dd>
          </>
        ) : null}
        {people.verifiedBy ? (
          <>
            <dt>Verified by</dt>
            <dd>{nameOf(people.verifiedBy)}</dd>
          </>
        ) : null}
        {invoice.status === "verified" ||
        invoice.status === "approved_to_ap" ||
        invoice.status === "paid" ? (
          <>
            <dt>Approvals</dt>
            <dd>
              {counted} of {approval.requiredApprovals}
              {approval.requireAdmin ? " (an admin's among them)" : ""}
              {approval.chain.length > 0
                ? `: ${approval.chain
                    .map(
                      (a) =>
                        `${nameOf(a.approver)} (${a.approverRole}, ${formatDateTime(a.createdAt)})`,
                    )
                    .join("; ")}`
                : ""}
              {invoice.status === "verified" ? (
                <span className="missing"> — waiting for {missing(counted, approval)}</span>
              ) : null}
            </dd>
          </>
        ) : null}
      </dl>
      {proposed.length > 0 || proposal?.lineItems ? (
        <div className="alert" role="status">
          <p>
            A later reading of the document proposes{" "}
            {proposed.map(([field, value]) => `${field} ${value}`).join(", ")}
            {proposal?.lineItems ? `${proposed.length > 0 ? " and " : ""}new line items` : ""}.
          </p>
          {readOnly ? null : (
            <Button onClick={applyProposal} disabled={apply.isPending}>
              Apply the reading
            </Button>
          )}
          <FormError message={error} />
        </div>
      ) : null}
    </section>
  );
}
