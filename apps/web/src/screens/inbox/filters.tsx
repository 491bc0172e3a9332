import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Labelled } from "../../components/ui/field";
import { useTRPC } from "../../lib/trpc";
import { activeFilters, type FilterKey, type InboxQuery } from "./query";

/**
 * The column filters, folded away under one summary line until opened. They narrow a search as
 * they narrow the list; changing one may sort by the filtered column.
 */
export function Filters({
  query,
  onChange,
}: {
  query: InboxQuery;
  onChange: (key: FilterKey, value: string | boolean | undefined) => void;
}) {
  const trpc = useTRPC();
  const suppliers = useQuery(trpc.supplier.list.queryOptions({ limit: 500 }));
  const count = activeFilters(query);
  // Open while filters are set (a view may set them); closed only by the person.
  const [open, setOpen] = useState(count > 0);
  useEffect(() => {
    if (count > 0) setOpen(true);
  }, [count]);
  const text = (key: FilterKey, label: string, type: "date" | "text") => (
    <Labelled label={label} inline>
      <input
        type={type}
        inputMode={type === "text" ? "decimal" : undefined}
        placeholder={type === "text" ? "0.00" : undefined}
        size={type === "text" ? 8 : undefined}
        value={(query[key] as string | undefined) ?? ""}
        onChange={(e) => onChange(key, e.target.value.trim() || undefined)}
      />
    </Labelled>
  );
  return (
    <details className="filters" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Filters{count > 0 ? ` (${count})` : ""}</summary>
      <div className="filters-body">
        <Labelled label="Supplier" inline>
          <select
            value={query.supplierId ?? ""}
            onChange={(e) => onChange("supplierId", e.target.value || undefined)}
          >
            <option value="">Any supplier</option>
            {(suppliers.data ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </Labelled>
        {text("invoiceDateFrom", "Invoice date from", "date")}
        {text("invoiceDateTo", "to", "date")}
        {text("totalMin", "Amount from", "text")}
        {text("totalMax", "to", "text")}
        <Labelled label="Due" inline>
          <select
            value={query.due ?? ""}
            onChange={(e) => onChange("due", e.target.value || undefined)}
          >
            <option value="">Any time</option>
            <option value="overdue">Overdue</option>
            <option value="dueSoon">Due within 7 days</option>
          </select>
        </Labelled>
        <label className="check">
          <input
            type="checkbox"
            checked={query.hasWarnings ?? false}
            onChange={(e) => onChange("hasWarnings", e.target.checked || undefined)}
          />
          Has warnings
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={query.possibleDuplicate ?? false}
            onChange={(e) => onChange("possibleDuplicate", e.target.checked || undefined)}
          />
          Possible duplicate
        </label>
      </div>
    </details>
  );
}
