import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Button } from "../components/ui/button";
import { Field, FormError } from "../components/ui/field";
import { Spinner } from "../components/ui/spinner";
import { fieldErrorsOf, messageOf } from "../lib/errors";
import { formatDateTime } from "../lib/format";
import { type Outputs, useTRPC } from "../lib/trpc";
import { useRowAction } from "../lib/use-row-action";

type Created = Outputs["webhook"]["create"];
type EventType = Outputs["webhook"]["list"]["eventTypes"][number];
type Delivery = Outputs["webhook"]["deliveries"]["items"][number];

const eventLabel: Record<string, string> = {
  "invoice.submitted": "Submitted for verification",
  "invoice.approved": "Approved to AP (locked)",
  "invoice.rejected": "Rejected back to draft",
  "invoice.paid": "Paid",
  "webhook.ping": "Test ping",
};

const statusLabel: Record<Delivery["status"], string> = {
  pending: "Pending",
  delivered: "Delivered",
  failed: "Failed, will retry",
  dead: "Gave up",
};

/**
 * Webhooks, for admins: the endpoints Remit POSTs invoice events to (the signing secret is shown
 * once, at creation and at rotation), a test ping, and the delivery log with a redeliver button.
 * docs/webhooks.md tells a receiver how to check the signature.
 */
export default function Webhooks() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.webhook.list.queryOptions());
  const create = useMutation(trpc.webhook.create.mutationOptions());
  const update = useMutation(trpc.webhook.update.mutationOptions());
  const remove = useMutation(trpc.webhook.delete.mutationOptions());
  const rotate = useMutation(trpc.webhook.rotateSecret.mutationOptions());
  const test = useMutation(trpc.webhook.test.mutationOptions());
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [events, setEvents] = useState<EventType[]>(["invoice.approved"]);
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);

  const refresh = async () => {
    await queryClient.invalidateQueries(trpc.webhook.list.pathFilter());
    await queryClient.invalidateQueries(trpc.webhook.deliveries.pathFilter());
  };

  async function onCreate(event: FormEvent) {
    event.preventDefault();
    try {
      const created: Created = await create.mutateAsync({ url: url.trim(), events, description });
      setSecret({ url: created.endpoint.url, secret: created.secret });
      setUrl("");
      setDescription("");
      await refresh();
    } catch {
      // shown below
    }
  }

  const { rowError, setRowError, act } = useRowAction(refresh);

  const data = list.data;
  const createErrors = fieldErrorsOf(create.error);
  const toggle = (type: EventType) =>
    setEvents((now) => (now.includes(type) ? now.filter((t) => t !== type) : [...now, type]));

  return (
    <section className="page" aria-labelledby="webhooks-title">
      <h1 id="webhooks-title">Webhooks</h1>
      {list.isPending ? <Spinner label="Loading…" /> : null}
      {list.isError ? <FormError message={messageOf(list.error)} /> : null}
      <p className="hint">
        Remit sends a signed POST to each endpoint when an invoice is submitted, approved, rejected
        or paid. Failed deliveries are retried with growing pauses; the log below shows each one.
      </p>

      {secret ? (
        <section className="card" aria-labelledby="secret-title">
          <h2 id="secret-title">Signing secret</h2>
          <p className="hint">For {secret.url}</p>
          <p className="mail-new-address">{secret.secret}</p>
          <p className="hint">
            Copy it now: it is shown only this once. Your receiver uses it to check the
            Remit-Webhook-Signature header.
          </p>
          <Button onClick={() => navigator.clipboard?.writeText(secret.secret)}>Copy</Button>{" "}
          <Button onClick={() => setSecret(null)}>Done</Button>
        </section>
      ) : null}

      <form className="card stack" onSubmit={onCreate} aria-labelledby="new-endpoint-title">
        <h2 id="new-endpoint-title">New endpoint</h2>
        <Field
          label={data?.allowHttp ? "URL" : "URL (https)"}
          value={url}
          type="url"
          required
          maxLength={2000}
          placeholder="https://example.com/remit-webhooks"
          onChange={(e) => setUrl(e.target.value)}
          error={createErrors.url}
        />
        <Field
          label="Description (for you)"
          value={description}
          maxLength={200}
          onChange={(e) => setDescription(e.target.value)}
          error={createErrors.description}
        />
        <fieldset className="stack">
          <legend>Events</legend>
          {data?.eventTypes.map((type) => (
            <label key={type} className="checkbox">
              <input
                type="checkbox"
                checked={events.includes(type)}
                onChange={() => toggle(type)}
              />{" "}
              {eventLabel[type] ?? type} <code>{type}</code>
            </label>
          ))}
        </fieldset>
        <FormError
          message={
            create.error && !createErrors.url && !createErrors.description
              ? messageOf(create.error)
              : null
          }
        />
        <Button
          type="submit"
          variant="primary"
          disabled={create.isPending || events.length === 0 || !url.trim()}
        >
          Add endpoint
        </Button>
      </form>

      <h2>Endpoints</h2>
      <FormError message={rowError} />
      <table className="table">
        <thead>
          <tr>
            <th scope="col">URL</th>
            <th scope="col">Events</th>
            <th scope="col">Secret</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {data?.endpoints.map((e) => (
            <tr key={e.id}>
              <td>
                <span className="mail-new-address">{e.url}</span>
                {e.description ? <div className="muted">{e.description}</div> : null}
              </td>
              <td>{e.events.join(", ")}</td>
              <td>…{e.secretHint}</td>
              <td>{e.enabled ? "enabled" : "disabled"}</td>
              <td>
                <Button
                  onClick={() =>
                    act(() => update.mutateAsync({ id: e.id, data: { enabled: !e.enabled } }))
                  }
                >
                  {e.enabled ? "Disable" : "Enable"}
                </Button>{" "}
                <Button
                  disabled={!e.enabled}
                  onClick={() => act(() => test.mutateAsync({ id: e.id }))}
                >
                  Send test
                </Button>{" "}
                <Button
                  onClick={() =>
                    act(async () => {
                      if (!window.confirm("Replace the signing secret? The old one stops at once."))
                        return;
                      const rotated = await rotate.mutateAsync({ id: e.id });
                      setSecret({ url: rotated.endpoint.url, secret: rotated.secret });
                    })
                  }
                >
                  Rotate secret
                </Button>{" "}
                <Button
                  variant="danger-quiet"
                  onClick={() =>
                    act(async () => {
                      if (!window.confirm("Delete this endpoint and its delivery log?")) return;
                      await remove.mutateAsync({ id: e.id });
                    })
                  }
                >
                  Delete
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {data && data.endpoints.length === 0 ? <p className="muted">No endpoints yet.</p> : null}

      <DeliveryLog onError={setRowError} />
    </section>
  );
}

/** The delivery log, newest first, a page at a time. */
function DeliveryLog({ onError }: { onError: (message: string | null) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [cursors, setCursors] = useState<Array<Outputs["webhook"]["deliveries"]["nextCursor"]>>([
    null,
  ]);
  const cursor = cursors.at(-1) ?? undefined;
  const page = useQuery(trpc.webhook.deliveries.queryOptions({ limit: 25, cursor }));
  const redeliver = useMutation(trpc.webhook.redeliver.mutationOptions());

  async function onRedeliver(deliveryId: string) {
    onError(null);
    try {
      await redeliver.mutateAsync({ deliveryId });
      await queryClient.invalidateQueries(trpc.webhook.deliveries.pathFilter());
    } catch (err) {
      onError(messageOf(err));
    }
  }

  return (
    <>
      <h2>Delivery log</h2>
      {page.isPending ? <Spinner label="Loading deliveries…" /> : null}
      {page.isError ? <FormError message={messageOf(page.error)} /> : null}
      {page.data && page.data.items.length === 0 ? <p className="muted">No deliveries.</p> : null}
      {page.data && page.data.items.length > 0 ? (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Endpoint</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Last answer</th>
              <th scope="col">Next retry</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {page.data.items.map((d) => (
              <tr key={d.id}>
                <td>
                  {eventLabel[d.eventType] ?? d.eventType}
                  <div className="muted">{formatDateTime(d.occurredAt)}</div>
                </td>
                <td className="mail-new-address">{d.endpointUrl}</td>
                <td>{statusLabel[d.status]}</td>
                <td>{d.attempts}</td>
                <td>
                  {d.lastStatusCode ?? "—"}
                  {d.lastError ? <div className="muted">{d.lastError}</div> : null}
                </td>
                <td>{d.nextAttemptAt ? formatDateTime(d.nextAttemptAt) : "—"}</td>
                <td>
                  <Button disabled={redeliver.isPending} onClick={() => onRedeliver(d.id)}>
                    Redeliver
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <div className="row">
        <Button disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
          Newer
        </Button>{" "}
        <Button
          disabled={!page.data?.nextCursor}
          onClick={() => setCursors((c) => [...c, page.data?.nextCursor ?? null])}
        >
          Older
        </Button>{" "}
        <Button onClick={() => queryClient.invalidateQueries(trpc.webhook.deliveries.pathFilter())}>
          Refresh
        </Button>
      </div>
    </>
  );
}
