import { useInfiniteQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Button } from "../components/ui/button";
import { FormError } from "../components/ui/field";
import { Spinner } from "../components/ui/spinner";
import { fieldErrorsOf, messageOf } from "../lib/errors";
import { formatDateTime } from "../lib/format";
import { useTRPC } from "../lib/trpc";

interface Filters {
  action: string;
  entityType: string;
  entityId: string;
  actorId: string;
}

const none: Filters = { action: "", entityType: "", entityId: "", actorId: "" };

/** A before/after summary as readable lines, not a JSON dump. */
function Summary({ value }: { value: unknown }) {
  if (value == null || typeof value !== "object") return <span>{String(value ?? "")}</span>;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return <span className="muted">—</span>;
  return (
    <dl className="summary">
      {entries.map(([key, v]) => (
        <div key={key}>
          <dt>{key}</dt>
          <dd>
            {Array.isArray(v)
              ? v.map((x) => (typeof x === "object" ? JSON.stringify(x) : String(x))).join(", ")
              : v && typeof v === "object"
                ? Object.entries(v as Record<string, unknown>)
                    .filter(([, x]) => x !== null && x !== undefined)
                    .map(
                      ([k, x]) => `${k}: ${typeof x === "object" ? JSON.stringify(x) : String(x)}`,
                    )
                    .join(", ")
                : String(v)}
          </dd>
        </div>
      ))}
    </dl>
  );
}

export default function Audit() {
  const trpc = useTRPC();
  const [draft, setDraft] = useState<Filters>(none);
  const [filters, setFilters] = useState<Filters>(none);
  const input = {
    action: filters.action || undefined,
    entityType: filters.entityType || undefined,
    entityId: filters.entityId || undefined,
    actorId: filters.actorId || undefined,
    limit: 50,
  };
  const log = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(input, {
      getNextPageParam: (last) => last.nextCursor ?? undefined,
    }),
  );
  const rows = log.data?.pages.flatMap((p) => p.items) ?? [];
  const errors = fieldErrorsOf(log.error);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setFilters({
      action: draft.action.trim(),
      entityType: draft.entityType.trim(),
      entityId: draft.entityId.trim(),
      actorId: draft.actorId.trim(),
    });
  };

  const input_ = (key: keyof Filters, label: string, placeholder: string) => (
    <label className="field" key={key}>
      <span>{label}</span>
      <input
        value={draft[key]}
        placeholder={placeholder}
        onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
        aria-invalid={errors[key] ? true : undefined}
      />
      {errors[key] ? <span className="field-error">{errors[key]}</span> : null}
    </label>
  );

  return (
    <section className="page" aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <form className="card filters" onSubmit={onSubmit} aria-label="Audit filters">
        {input_("action", "Action", "invoice.approve")}
        {input_("entityType", "Entity type", "invoice")}
        {input_("entityId", "Entity ID", "")}
        {input_("actorId", "Actor ID", "a user id")}
        <div className="row">
          <Button type="submit" variant="primary">
            Filter
          </Button>
          <Button
            onClick={() => {
              setDraft(none);
              setFilters(none);
            }}
          >
            Clear filters
          </Button>
        </div>
      </form>
      {log.isPending ? <Spinner label="Loading the audit log…" /> : null}
      {log.isError ? <FormError message={messageOf(log.error)} /> : null}
      {log.isSuccess && rows.length === 0 ? <p className="empty">No entries.</p> : null}
      {rows.length > 0 ? (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">Entity</th>
                <th scope="col">Actor</th>
                <th scope="col">Summary</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id}>
                  <td>{formatDateTime(row.createdAt)}</td>
                  <td>
                    <code>{row.action}</code>
                  </td>
                  <td>
                    {row.entityType}
                    {row.entityId ? (
                      <>
                        {" "}
                        <code className="id">{row.entityId}</code>
                      </>
                    ) : null}
                  </td>
                  <td>
                    {row.actorType}
                    {row.actorId ? (
                      <>
                        {" "}
                        <code className="id">{row.actorId}</code>
                      </>
                    ) : null}
                  </td>
                  <td>
                    <Summary value={row.summary} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {log.hasNextPage ? (
        <Button onClick={() => log.fetchNextPage()} disabled={log.isFetchingNextPage}>
          {log.isFetchingNextPage ? "Loading…" : "Load more"}
        </Button>
      ) : null}
    </section>
  );
}
