import { arithmeticWarnings } from "@remit/rules";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { messageOf } from "../../lib/errors";
import { type InvoiceDetail, useTRPC } from "../../lib/trpc";
import { type Errors, type HeaderForm, type LineForm, validate } from "./validation";

let lineSequence = 0;
const lineKey = () => `l${++lineSequence}`;

function headerOf(invoice: InvoiceDetail): HeaderForm {
  return {
    supplierId: invoice.supplierId ?? "",
    invoiceNumber: invoice.invoiceNumber ?? "",
    invoiceDate: invoice.invoiceDate ?? "",
    dueDate: invoice.dueDate ?? "",
    currency: invoice.currency ?? "",
    subtotal: invoice.subtotal ?? "",
    taxAmount: invoice.taxAmount ?? "",
    total: invoice.total ?? "",
  };
}

function linesOf(invoice: InvoiceDetail): LineForm[] {
  return invoice.lineItems.map((line) => ({
    key: lineKey(),
    description: line.description,
    quantity: line.quantity ?? "",
    unitPrice: line.unitPrice ?? "",
    amount: line.amount ?? "",
  }));
}

const sameLines = (a: LineForm[], b: LineForm[]) =>
  a.length === b.length &&
  a.every(
    (line, i) =>
      line.description === b[i]?.description &&
      line.quantity === b[i]?.quantity &&
      line.unitPrice === b[i]?.unitPrice &&
      line.amount === b[i]?.amount,
  );

const orNull = (value: string) => (value.trim() === "" ? null : value.trim());

/**
 * The review form's state. A newer copy of the invoice (a live update, a save) replaces the
 * form only while the user has no unsaved edits, so nobody's typing is overwritten.
 */
export function useInvoiceForm(invoice: InvoiceDetail) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const update = useMutation(trpc.invoice.update.mutationOptions());
  const baseHeader = useMemo(() => headerOf(invoice), [invoice]);
  const [baseLines, setBaseLines] = useState(() => linesOf(invoice));
  const [header, setHeaderState] = useState(baseHeader);
  const [lines, setLines] = useState(baseLines);
  const [touched, setTouched] = useState(false);
  const seen = useRef(invoice.updatedAt?.valueOf());
  // After a save, the server's copy wins even where it normalised a value ("5" → "5.00").
  const adoptNext = useRef(false);

  const headerDirty = (Object.keys(baseHeader) as Array<keyof HeaderForm>).some(
    (key) => header[key].trim() !== baseHeader[key],
  );
  const linesDirty = !sameLines(lines, baseLines);
  const dirty = headerDirty || linesDirty;

  useEffect(() => {
    const stamp = invoice.updatedAt?.valueOf();
    if (stamp === seen.current) return;
    seen.current = stamp;
    if (dirty && !adoptNext.current) return;
    adoptNext.current = false;
    const fresh = linesOf(invoice);
    setBaseLines(fresh);
    setLines(fresh);
    setHeaderState(headerOf(invoice));
    setTouched(false);
  }, [invoice, dirty]);

  const errors: Errors = useMemo(() => validate(header, lines), [header, lines]);
  const valid = Object.keys(errors).length === 0;
  // The same arithmetic warnings the server stores on save, recomputed as the person types.
  const warnings = useMemo(() => arithmeticWarnings(header, lines), [header, lines]);

  async function save(): Promise<boolean> {
    setTouched(true);
    if (!valid) return false;
    if (!dirty) return true;
    const data: Record<string, unknown> = {};
    for (const key of Object.keys(baseHeader) as Array<keyof HeaderForm>) {
      if (header[key].trim() !== baseHeader[key]) data[key] = orNull(header[key]);
    }
    if (linesDirty) {
      data.lineItems = lines.map((line) => ({
        description: line.description.trim(),
        quantity: orNull(line.quantity),
        unitPrice: orNull(line.unitPrice),
        amount: orNull(line.amount),
      }));
    }
    try {
      await update.mutateAsync({ id: invoice.id, data });
    } catch {
      return false;
    }
    // Take what was saved as the new baseline now; the refetch then confirms it.
    adoptNext.current = true;
    await Promise.all([
      queryClient.invalidateQueries(trpc.invoice.get.queryFilter({ id: invoice.id })),
      queryClient.invalidateQueries(trpc.invoice.list.pathFilter()),
    ]);
    setTouched(false);
    return true;
  }

  function reset() {
    const fresh = linesOf(invoice);
    setBaseLines(fresh);
    setLines(fresh);
    setHeaderState(headerOf(invoice));
    setTouched(false);
    update.reset();
  }

  return {
    /** Take the server's next copy as it is (after a change made outside the form). */
    adoptNextCopy: () => {
      adoptNext.current = true;
    },
    header,
    setHeader: (name: keyof HeaderForm, value: string) =>
      setHeaderState((h) => ({ ...h, [name]: value })),
    lines,
    setLine: (index: number, column: keyof Omit<LineForm, "key">, value: string) =>
      setLines((all) => all.map((line, i) => (i === index ? { ...line, [column]: value } : line))),
    addLine: () =>
      setLines((all) => [
        ...all,
        { key: lineKey(), description: "", quantity: "", unitPrice: "", amount: "" },
      ]),
    removeLine: (index: number) => setLines((all) => all.filter((_, i) => i !== index)),
    dirty,
    errors,
    warnings,
    showErrors: touched,
    valid,
    save,
    reset,
    saving: update.isPending,
    saveError: update.error ? messageOf(update.error) : null,
  };
}

export type InvoiceForm = ReturnType<typeof useInvoiceForm>;
