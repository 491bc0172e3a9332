import { useId } from "react";
import { Button } from "../../components/ui/button";
import type { Outputs } from "../../lib/trpc";
import {
  type ExtractedField,
  type Extraction,
  type HeaderName,
  headerField,
  type LineColumn,
  lineField,
  lowConfidence,
} from "./extraction";
import type { InvoiceForm } from "./use-invoice-form";

type Supplier = Outputs["supplier"]["list"][number];

interface Props {
  form: InvoiceForm;
  /** Per field: a person edited it (shown instead of the reading's confidence), or OCR set it. */
  sources: Record<string, { source: "person" | "ocr" | "none" }>;
  extraction: Extraction;
  suppliers: Supplier[];
  currentSupplier: { id: string; name: string } | null;
  canAdoptGlobal: boolean;
  onPickSupplier: (id: string) => void;
  readOnly: boolean;
  onHighlight: (key: string | null) => void;
}

/** "low confidence (42%)": in words, not only in colour; "edited by a person" once someone has. */
function Confidence({
  field,
  id,
  edited = false,
}: {
  field: ExtractedField | null;
  id: string;
  edited?: boolean;
}) {
  if (edited) {
    return (
      <span className="confidence confidence-person" id={id}>
        edited by a person
      </span>
    );
  }
  if (!field) return null;
  const pct = Math.round(field.confidence * 100);
  if (field.confidence < lowConfidence) {
    return (
      <span className="confidence confidence-low" id={id}>
        ⚠ low confidence ({pct}%) — please check
      </span>
    );
  }
  if (field.source === "memory") {
    // Read where this supplier printed it on an invoice a person corrected and verified.
    return (
      <span className="confidence confidence-memory" id={id}>
        from this supplier's memory of your corrections ({pct}% confidence)
      </span>
    );
  }
  return (
    <span className="confidence" id={id}>
      read with {pct}% confidence
    </span>
  );
}

/**
 * The arithmetic warnings (@remit/rules, the same the server stores on save) for the values as
 * typed. Shown once the form has edits: before that the invoice's own warnings box says the same.
 * The live region is always in the page, so a screen reader hears each change.
 */
function LiveArithmetic({ form }: { form: InvoiceForm }) {
  const show = form.dirty;
  const warnings = form.warnings;
  return (
    <div
      className={
        show && warnings.length > 0 ? "alert alert-warn live-arithmetic" : "live-arithmetic"
      }
      role="status"
      aria-live="polite"
      data-live-warnings=""
    >
      {show && warnings.length > 0 ? (
        <>
          <p>
            <strong>Check the figures:</strong> these will be warnings when you save.
          </p>
          <ul>
            {warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        </>
      ) : null}
      {show && warnings.length === 0 ? (
        <p className="hint">No arithmetic problems in the figures entered so far.</p>
      ) : null}
    </div>
  );
}

export function FieldsForm({
  form,
  sources,
  extraction,
  suppliers,
  currentSupplier,
  canAdoptGlobal,
  onPickSupplier,
  readOnly,
  onHighlight,
}: Props) {
  const base = useId();
  const hover = (key: string) => ({
    onFocus: () => onHighlight(key),
    onMouseEnter: () => onHighlight(key),
    onBlur: () => onHighlight(null),
  });

  const header = (name: HeaderName, label: string, extra: { placeholder?: string } = {}) => {
    const id = `${base}-${name}`;
    const edited = sources[name]?.source === "person";
    const field = edited ? null : headerField(extraction, name);
    const error = form.errors[name];
    const describedBy = [field || edited ? `${id}-conf` : null, error ? `${id}-err` : null]
      .filter(Boolean)
      .join(" ");
    return (
      <div
        className={`field${field && field.confidence < lowConfidence ? " field-low" : ""}`}
        key={name}
      >
        <label htmlFor={id}>{label}</label>
        <input
          id={id}
          name={name}
          value={form.header[name]}
          onChange={(e) =>
            form.setHeader(
              name,
              name === "currency" ? e.target.value.toUpperCase() : e.target.value,
            )
          }
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy || undefined}
          readOnly={readOnly}
          autoComplete="off"
          {...extra}
          {...hover(name)}
        />
        <Confidence field={field} id={`${id}-conf`} edited={edited} />
        {error ? (
          <span className="field-error" id={`${id}-err`}>
            {error}
          </span>
        ) : null}
      </div>
    );
  };

  const supplierFieldId = `${base}-supplier`;
  const supplierEdited = sources.supplierId?.source === "person";
  const supplierField = supplierEdited ? null : headerField(extraction, "supplierId");
  const inList = suppliers.some((s) => s.id === form.header.supplierId);

  return (
    <div className="fields" data-review-fields="">
      <fieldset className="header-fields">
        <legend>Invoice</legend>
        <div
          className={`field field-wide${supplierField && supplierField.confidence < lowConfidence ? " field-low" : ""}`}
        >
          <label htmlFor={supplierFieldId}>Supplier</label>
          <select
            id={supplierFieldId}
            name="supplierId"
            value={form.header.supplierId}
            disabled={readOnly}
            aria-describedby={supplierField ? `${supplierFieldId}-conf` : undefined}
            onChange={(e) => onPickSupplier(e.target.value)}
            {...hover("supplierId")}
          >
            <option value="">No supplier</option>
            {!inList && currentSupplier ? (
              <option value={currentSupplier.id}>{currentSupplier.name}</option>
            ) : null}
            {suppliers.map((s) => (
              <option key={s.id} value={s.id} disabled={s.isGlobal && !canAdoptGlobal}>
                {s.name}
                {s.taxId ? ` · ${s.taxId}` : ""}
                {s.isGlobal ? " (global directory)" : ""}
              </option>
            ))}
          </select>
          {supplierField ? (
            <span className="hint">Read from the document: “{supplierField.value}”</span>
          ) : null}
          <Confidence
            field={supplierField}
            id={`${supplierFieldId}-conf`}
            edited={supplierEdited}
          />
        </div>
        {header("invoiceNumber", "Invoice number")}
        {header("invoiceDate", "Invoice date", { placeholder: "YYYY-MM-DD" })}
        {header("dueDate", "Due date", { placeholder: "YYYY-MM-DD" })}
        {header("currency", "Currency", { placeholder: "EUR" })}
        {header("subtotal", "Subtotal", { placeholder: "0.00" })}
        {header("taxAmount", "Tax", { placeholder: "0.00" })}
        {header("total", "Total", { placeholder: "0.00" })}
      </fieldset>

      <fieldset className="lines">
        <legend>Line items</legend>
        {form.lines.length === 0 ? <p className="muted">No line items.</p> : null}
        <ol className="line-list">
          {form.lines.map((line, index) => (
            <li key={line.key} className="line-row">
              <span className="line-number" aria-hidden="true">
                {index + 1}
              </span>
              {(
                [
                  ["description", "Description"],
                  ["quantity", "Quantity"],
                  ["unitPrice", "Unit price"],
                  ["amount", "Amount"],
                ] as Array<[LineColumn, string]>
              ).map(([column, label]) => {
                const key = `line.${index}.${column}`;
                const id = `${base}-${key}`;
                const field = lineField(extraction, index, column);
                const error = form.errors[key];
                const low = field && field.confidence < lowConfidence;
                return (
                  <div className={`field line-${column}${low ? " field-low" : ""}`} key={column}>
                    <label htmlFor={id}>
                      {label}
                      <span className="visually-hidden"> of line {index + 1}</span>
                    </label>
                    <input
                      id={id}
                      value={line[column]}
                      onChange={(e) => form.setLine(index, column, e.target.value)}
                      readOnly={readOnly}
                      aria-invalid={error ? true : undefined}
                      aria-describedby={error ? `${id}-err` : low ? `${id}-conf` : undefined}
                      inputMode={column === "description" ? undefined : "decimal"}
                      autoComplete="off"
                      {...hover(key)}
                    />
                    {low ? <Confidence field={field} id={`${id}-conf`} /> : null}
                    {error ? (
                      <span className="field-error" id={`${id}-err`}>
                        {error}
                      </span>
                    ) : null}
                  </div>
                );
              })}
              {readOnly ? null : (
                <Button
                  className="icon-button"
                  aria-label={`Remove line ${index + 1}`}
                  onClick={() => form.removeLine(index)}
                >
                  ✕
                </Button>
              )}
            </li>
          ))}
        </ol>
        {readOnly ? null : <Button onClick={form.addLine}>Add line</Button>}
        {form.errors.lines ? <p className="field-error">{form.errors.lines}</p> : null}
      </fieldset>
      {readOnly ? null : <LiveArithmetic form={form} />}
    </div>
  );
}
