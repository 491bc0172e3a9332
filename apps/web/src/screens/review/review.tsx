import { statusLabel } from "@remit/rules";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { FormError } from "../../components/ui/field";
import { Spinner } from "../../components/ui/spinner";
import { OcrBadge } from "../../components/upload-panel";
import { codeOf, messageOf } from "../../lib/errors";
import { formatDateTime, isTyping } from "../../lib/format";
import { mergeOcr, useLiveJob } from "../../lib/live";
import { navList } from "../../lib/nav-list";
import { Link, navigate } from "../../lib/router";
import { may, useTenant } from "../../lib/tenant";
import { type InvoiceDetail, useTRPC } from "../../lib/trpc";
import { Actions } from "./actions";
import { Comments } from "./comments";
import { boxesOf, extractionOf, wordFor } from "./extraction";
import { FieldsForm } from "./fields-form";
import { MailMessage } from "./mail-message";
import { MarkPaid } from "./mark-paid";
import { Preview } from "./preview";
import { ReviewPanel } from "./review-panel";
import { useInvoiceForm } from "./use-invoice-form";

export default function Review({ invoiceId }: { invoiceId: string }) {
  const trpc = useTRPC();
  const invoice = useQuery(trpc.invoice.get.queryOptions({ id: invoiceId }));
  if (invoice.isPending) return <Spinner label="Loading invoice…" />;
  if (invoice.isError) {
    return (
      <section className="page">
        <h1>{codeOf(invoice.error) === "NOT_FOUND" ? "Invoice not found" : "Invoice"}</h1>
        <FormError message={messageOf(invoice.error)} />
        <Link to="/">Back to the inbox</Link>
      </section>
    );
  }
  return <ReviewInvoice invoice={invoice.data} />;
}

/** The neighbours of this invoice in the list the user came from (for ] and [). */
function useNeighbours(id: string) {
  const trpc = useTRPC();
  const { ids, from } = navList();
  const fallback = useQuery(
    trpc.invoice.list.queryOptions({ limit: 100 }, { enabled: ids.length === 0 }),
  );
  const list = ids.length > 0 ? ids : (fallback.data?.items.map((i) => i.id) ?? []);
  const at = list.indexOf(id);
  return {
    previous: at > 0 ? list[at - 1] : undefined,
    next: at >= 0 && at < list.length - 1 ? list[at + 1] : undefined,
    back: ids.length > 0 ? from : "/",
  };
}

function ReviewInvoice({ invoice }: { invoice: InvoiceDetail }) {
  const trpc = useTRPC();
  const { tenant } = useTenant();
  const queryClient = useQueryClient();
  const form = useInvoiceForm(invoice);
  const extraction = useMemo(() => extractionOf(invoice), [invoice]);
  const boxes = useMemo(() => boxesOf(extraction), [extraction]);

  const [active, setActive] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<"approve" | "reject" | "delete" | null>(null);
  const suppliers = useQuery(trpc.supplier.list.queryOptions({ limit: 500 }));
  const createSupplier = useMutation(trpc.supplier.create.mutationOptions());
  const adoptSupplier = useMutation(trpc.supplier.adopt.mutationOptions());
  const update = useMutation(trpc.invoice.update.mutationOptions());
  const [supplierError, setSupplierError] = useState<string | null>(null);
  const [saveNote, setSaveNote] = useState<string | null>(null);
  const fileUrl = useQuery(
    trpc.invoice.fileUrl.queryOptions({ id: invoice.id }, { enabled: false }),
  );
  const live = useLiveJob(invoice.id);
  const ocr = mergeOcr(
    {
      status: invoice.ocr?.status,
      progress: invoice.ocr?.progress,
      lastError: invoice.ocr?.lastError,
    },
    live,
  );
  const neighbours = useNeighbours(invoice.id);
  const fieldsRef = useRef<HTMLFormElement>(null);
  // What the caller may do here is the server's answer (invoice.get allowedActions).
  const readOnly = !invoice.allowedActions.actions.includes("update");

  /** A word clicked on the page goes into the header field that has the focus. */
  const fillFocused = (text: string, append: boolean) => {
    const field = document.activeElement;
    if (!(field instanceof HTMLInputElement) || readOnly || field.readOnly) return;
    const name = field.name as keyof typeof form.header;
    if (!(name in form.header) || name === "supplierId") return;
    const value = wordFor(name, text);
    form.setHeader(name, append && form.header[name] ? `${form.header[name]} ${value}` : value);
  };
  const canWriteSuppliers = may(tenant, "supplier:write");
  const canApprove = invoice.allowedActions.actions.includes("approve");

  // ] / [ next and previous invoice, Alt+N / Alt+Shift+N next and previous field, a approve.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (confirming) return;
      if (event.altKey && event.code === "KeyN") {
        event.preventDefault();
        const inputs = Array.from(
          fieldsRef.current?.querySelectorAll<HTMLElement>("input, select, textarea") ?? [],
        ).filter((el) => !(el as HTMLInputElement).disabled);
        if (inputs.length === 0) return;
        const at = inputs.indexOf(document.activeElement as HTMLElement);
        const step = event.shiftKey ? -1 : 1;
        const next = inputs[(at + step + inputs.length) % inputs.length];
        next?.focus();
        return;
      }
      if (isTyping(event) || event.altKey) return;
      if (event.key === "]" && neighbours.next) navigate(`/invoices/${neighbours.next}`);
      else if (event.key === "[" && neighbours.previous) {
        navigate(`/invoices/${neighbours.previous}`);
      } else if (event.key === "a" && canApprove) {
        event.preventDefault();
        setConfirming("approve");
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [confirming, neighbours.next, neighbours.previous, canApprove]);

  async function pickSupplier(id: string) {
    setSupplierError(null);
    const chosen = suppliers.data?.find((s) => s.id === id);
    if (!chosen?.isGlobal) {
      form.setHeader("supplierId", id);
      return;
    }
    // A global supplier is copied into the tenant on first use (the server's one mutation finds
    // or makes the copy); the invoice points at the copy.
    try {
      const adopted = await adoptSupplier.mutateAsync({ id: chosen.id });
      if (adopted.copied) await queryClient.invalidateQueries(trpc.supplier.list.pathFilter());
      form.setHeader("supplierId", adopted.id);
    } catch (err) {
      setSupplierError(messageOf(err));
    }
  }

  async function createProposed(name: string, taxId: string | null) {
    setSupplierError(null);
    try {
      const created = await createSupplier.mutateAsync({ name, taxId });
      await queryClient.invalidateQueries(trpc.supplier.list.pathFilter());
      if (!created) return;
      if (form.dirty) form.setHeader("supplierId", created.id);
      else {
        form.adoptNextCopy();
        await update.mutateAsync({ id: invoice.id, data: { supplierId: created.id } });
        await queryClient.invalidateQueries(trpc.invoice.get.queryFilter({ id: invoice.id }));
        await queryClient.invalidateQueries(trpc.invoice.list.pathFilter());
      }
    } catch (err) {
      setSupplierError(messageOf(err));
    }
  }

  async function download() {
    const result = await fileUrl.refetch();
    if (result.data) window.open(result.data.url, "_blank", "noopener");
  }

  const match = extraction.supplierMatch;
  const duplicateOf = invoice.possibleDuplicateOf;
  const title = invoice.invoiceNumber ? `Invoice ${invoice.invoiceNumber}` : "Invoice (no number)";

  return (
    <article className="review" aria-labelledby="review-title">
      <div className="review-head">
        <div className="review-title">
          <Link to={neighbours.back} className="back">
            ← Inbox
          </Link>
          <h1 id="review-title">{title}</h1>
          <span className={`status status-${invoice.status}`}>{statusLabel(invoice.status)}</span>
          {invoice.isLocked ? <Badge tone="locked">Locked</Badge> : null}
          <OcrBadge status={ocr.status} progress={ocr.progress} error={ocr.lastError} />
        </div>
        <div className="row">
          <Button onClick={download} disabled={!invoice.document}>
            Download original
          </Button>
          <NeighbourButton to={neighbours.previous} label="Previous invoice" shortcut="[">
            ‹ Previous
          </NeighbourButton>
          <NeighbourButton to={neighbours.next} label="Next invoice" shortcut="]">
            Next ›
          </NeighbourButton>
        </div>
      </div>
      {fileUrl.isError ? <FormError message={messageOf(fileUrl.error)} /> : null}

      {invoice.isLocked ? (
        <p className="locked-note" role="status">
          <strong>Locked.</strong> Approved to accounts payable
          {invoice.approvedAt ? ` on ${formatDateTime(invoice.approvedAt)}` : ""}
          {invoice.review.approval.chain.length > 0
            ? ` by ${invoice.review.approval.chain.map((a) => a.approver?.name ?? "a former member").join(" and ")}`
            : ""}
          ; this invoice is read-only and can no longer change. It shows the supplier as approved.
          {invoice.status === "paid" && invoice.paidAt ? (
            <>
              {" "}
              <strong>Paid</strong> on {formatDateTime(invoice.paidAt)}
              {invoice.paymentReference ? ` (reference ${invoice.paymentReference})` : ""}.
            </>
          ) : null}
        </p>
      ) : null}

      <div className="review-body">
        <Preview
          invoiceId={invoice.id}
          boxes={boxes}
          onWord={fillFocused}
          active={active}
          ocrDone={ocr.status === "succeeded" || ocr.status === "failed" || ocr.status === "dead"}
        />
        <div className="review-side">
          {ocr.status === "failed" || ocr.status === "dead" ? (
            <p className="alert alert-error" role="alert">
              Reading failed: {ocr.lastError ?? "the document could not be read"}.
              {invoice.ocr
                ? ` (attempt ${invoice.ocr.attempts} of ${invoice.ocr.maxAttempts})`
                : ""}{" "}
              Enter the fields by hand.
            </p>
          ) : null}
          {ocr.status === "queued" || ocr.status === "running" ? (
            <div className="alert" role="status">
              <span>
                {ocr.status === "queued" ? "Waiting to be read…" : "Reading the document…"}
              </span>
              <progress max={100} value={ocr.progress ?? 0} aria-label="Reading progress" />
            </div>
          ) : null}
          <ReviewPanel invoice={invoice} readOnly={readOnly} />
          {invoice.review.standingWarnings.length > 0 ? (
            <section className="alert alert-warn" aria-labelledby="warnings-title">
              <h2 id="warnings-title">Warnings</h2>
              <ul>
                {invoice.review.standingWarnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
              {form.dirty ? (
                <p className="hint">Warnings are checked again when you save.</p>
              ) : null}
            </section>
          ) : null}
          {duplicateOf ? (
            <p className="alert alert-warn" data-testid="duplicate-note">
              Possible duplicate: another invoice has the same supplier and number, or the same
              number, total and date as read.{" "}
              <Link to={`/invoices/${duplicateOf}`}>Open the other invoice</Link>
            </p>
          ) : null}
          {match?.kind === "proposed" && !form.header.supplierId && !readOnly ? (
            <div className="alert">
              <p>
                The document names a supplier that is not in your list:{" "}
                <strong>{match.name}</strong>
                {match.taxId ? ` (tax id ${match.taxId})` : ""}.
              </p>
              {canWriteSuppliers ? (
                <Button
                  onClick={() => createProposed(match.name, match.taxId)}
                  disabled={createSupplier.isPending}
                >
                  Create supplier
                </Button>
              ) : (
                <p className="hint">A verifier or an admin can add it to your suppliers.</p>
              )}
            </div>
          ) : null}
          <FormError message={supplierError} />

          <form
            ref={fieldsRef}
            aria-label="Invoice fields"
            onSubmit={(event) => {
              event.preventDefault();
              setSaveNote(null);
              const nothing = !form.dirty;
              void form.save().then((ok) => {
                if (ok) setSaveNote(nothing ? "No changes to save." : "Saved.");
              });
            }}
          >
            <FieldsForm
              form={form}
              sources={invoice.review.fieldSources}
              extraction={extraction}
              suppliers={suppliers.data ?? []}
              currentSupplier={invoice.supplier}
              canAdoptGlobal={canWriteSuppliers}
              onPickSupplier={pickSupplier}
              readOnly={readOnly}
              onHighlight={setActive}
            />
            {readOnly ? null : (
              <div className="row sticky-save">
                <Button type="submit" variant="primary" disabled={form.saving}>
                  {form.saving ? "Saving…" : "Save"}
                </Button>
                <Button variant="link" onClick={form.reset} disabled={!form.dirty}>
                  Discard changes
                </Button>
                {form.dirty ? (
                  <span className="hint">Unsaved changes</span>
                ) : saveNote ? (
                  <span className="hint" role="status">
                    {saveNote}
                  </span>
                ) : null}
              </div>
            )}
            <FormError message={form.saveError} />
          </form>

          <MarkPaid invoice={invoice} />
          <Actions
            invoice={invoice}
            form={form}
            confirming={confirming}
            setConfirming={setConfirming}
          />
          <p className="hint keys" aria-hidden="true">
            <kbd>[</kbd>/<kbd>]</kbd> previous/next invoice · <kbd>Alt</kbd>+<kbd>N</kbd> next field
            {canApprove ? (
              <>
                {" "}
                · <kbd>a</kbd> approve
              </>
            ) : null}
          </p>
          <MailMessage invoiceId={invoice.id} />
          <Comments invoiceId={invoice.id} />
        </div>
      </div>
    </article>
  );
}

/** Opens the previous or next invoice of the list the user came from; disabled at either end. */
function NeighbourButton({
  to,
  label,
  shortcut,
  children,
}: {
  to: string | null | undefined;
  label: string;
  shortcut: string;
  children: React.ReactNode;
}) {
  return (
    <Button
      aria-label={label}
      aria-keyshortcuts={shortcut}
      disabled={!to}
      onClick={() => to && navigate(`/invoices/${to}`)}
    >
      {children}
    </Button>
  );
}
