import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Badge } from "../components/ui/badge";
import { Button } from "../components/ui/button";
import { Field, FormError, Labelled } from "../components/ui/field";
import { Spinner } from "../components/ui/spinner";
import { fieldErrorsOf, messageOf } from "../lib/errors";
import { may, useTenant } from "../lib/tenant";
import { type Outputs, useTRPC } from "../lib/trpc";

type Supplier = Outputs["supplier"]["list"][number];

interface Values {
  name: string;
  taxId: string;
  email: string;
  address: string;
}

const empty: Values = { name: "", taxId: "", email: "", address: "" };
const toInput = (v: Values) => ({
  name: v.name.trim(),
  taxId: v.taxId.trim() || null,
  email: v.email.trim() || null,
  address: v.address.trim() || null,
});

function SupplierFields({
  values,
  onChange,
  error,
  prefix,
}: {
  values: Values;
  onChange: (v: Values) => void;
  error: unknown;
  prefix?: string;
}) {
  const errors = fieldErrorsOf(error);
  const set = (key: keyof Values) => (e: React.ChangeEvent<HTMLInputElement>) =>
    onChange({ ...values, [key]: e.target.value });
  const label = (text: string) => (prefix ? `${text} (${prefix})` : text);
  return (
    <>
      <Field
        label={label("Name")}
        value={values.name}
        onChange={set("name")}
        error={errors.name}
        required
      />
      <Field
        label={label("Tax ID")}
        value={values.taxId}
        onChange={set("taxId")}
        error={errors.taxId}
      />
      <Field
        label={label("Email")}
        type="email"
        value={values.email}
        onChange={set("email")}
        error={errors.email}
      />
      <Field
        label={label("Address")}
        value={values.address}
        onChange={set("address")}
        error={errors.address}
      />
    </>
  );
}

export default function Suppliers() {
  const trpc = useTRPC();
  const { tenant } = useTenant();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.supplier.list.queryOptions({ limit: 500 }));
  const create = useMutation(trpc.supplier.create.mutationOptions());
  const canWrite = may(tenant, "supplier:write");
  const [values, setValues] = useState<Values>(empty);
  const [filter, setFilter] = useState("");

  async function onCreate(event: FormEvent) {
    event.preventDefault();
    try {
      await create.mutateAsync(toInput(values));
      setValues(empty);
      await queryClient.invalidateQueries(trpc.supplier.list.pathFilter());
    } catch {
      // shown below
    }
  }

  const shown =
    list.data?.filter((s) =>
      `${s.name} ${s.taxId ?? ""}`.toLowerCase().includes(filter.trim().toLowerCase()),
    ) ?? [];

  return (
    <section className="page" aria-labelledby="suppliers-title">
      <h1 id="suppliers-title">Suppliers</h1>
      <p className="muted">
        Your tenant&rsquo;s suppliers, and the global directory that every tenant can read. Global
        entries are read-only; choosing one on an invoice copies it into your list.
      </p>
      {canWrite ? (
        <form className="card stack" onSubmit={onCreate} aria-labelledby="new-supplier">
          <h2 id="new-supplier">New supplier</h2>
          <div className="grid-2">
            <SupplierFields values={values} onChange={setValues} error={create.error} />
          </div>
          <FormError
            message={
              create.error && Object.keys(fieldErrorsOf(create.error)).length === 0
                ? messageOf(create.error)
                : null
            }
          />
          <Button type="submit" variant="primary" disabled={create.isPending}>
            Add supplier
          </Button>
        </form>
      ) : (
        <p className="hint">Only verifiers and admins can add or change suppliers.</p>
      )}
      <Labelled label="Filter suppliers" inline>
        <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
      </Labelled>
      {list.isPending ? <Spinner label="Loading suppliers…" /> : null}
      {list.isError ? <FormError message={messageOf(list.error)} /> : null}
      <ul className="supplier-list">
        {shown.map((s) => (
          <SupplierRow key={s.id} supplier={s} canWrite={canWrite} />
        ))}
      </ul>
      {list.data && shown.length === 0 ? <p className="empty">No suppliers.</p> : null}
    </section>
  );
}

function SupplierRow({ supplier, canWrite }: { supplier: Supplier; canWrite: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const update = useMutation(trpc.supplier.update.mutationOptions());
  const remove = useMutation(trpc.supplier.delete.mutationOptions());
  const [editing, setEditing] = useState(false);
  const [values, setValues] = useState<Values>({
    name: supplier.name,
    taxId: supplier.taxId ?? "",
    email: supplier.email ?? "",
    address: supplier.address ?? "",
  });

  async function onSave(event: FormEvent) {
    event.preventDefault();
    try {
      await update.mutateAsync({ id: supplier.id, data: toInput(values) });
      setEditing(false);
      await queryClient.invalidateQueries(trpc.supplier.list.pathFilter());
    } catch {
      // shown below
    }
  }

  async function onDelete() {
    if (!window.confirm(`Delete the supplier ${supplier.name}?`)) return;
    try {
      await remove.mutateAsync({ id: supplier.id });
      await queryClient.invalidateQueries(trpc.supplier.list.pathFilter());
    } catch {
      // shown below
    }
  }

  if (editing) {
    return (
      <li className="card">
        <form className="stack" onSubmit={onSave} aria-label={`Edit ${supplier.name}`}>
          <div className="grid-2">
            <SupplierFields
              values={values}
              onChange={setValues}
              error={update.error}
              prefix={supplier.name}
            />
          </div>
          <FormError message={update.error ? messageOf(update.error) : null} />
          <div className="row">
            <Button type="submit" variant="primary" disabled={update.isPending}>
              Save
            </Button>
            <Button onClick={() => setEditing(false)}>Cancel</Button>
          </div>
        </form>
      </li>
    );
  }

  return (
    <li className="supplier-row">
      <div>
        <strong>{supplier.name}</strong>{" "}
        {supplier.isGlobal ? <Badge>Global · read-only</Badge> : null}
        {supplier.globalSupplierId && !supplier.isGlobal ? (
          <Badge tone="quiet">copied from the global directory</Badge>
        ) : null}
        <div className="muted">
          {[supplier.taxId && `Tax ID ${supplier.taxId}`, supplier.email, supplier.address]
            .filter(Boolean)
            .join(" · ") || "No details"}
        </div>
      </div>
      {canWrite && !supplier.isGlobal ? (
        <div className="row">
          <Button onClick={() => setEditing(true)} aria-label={`Edit ${supplier.name}`}>
            Edit
          </Button>
          <Button variant="danger-quiet" onClick={onDelete} aria-label={`Delete ${supplier.name}`}>
            Delete
          </Button>
        </div>
      ) : null}
      <FormError message={remove.error ? messageOf(remove.error) : null} />
    </li>
  );
}
