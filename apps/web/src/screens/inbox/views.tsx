import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "../../components/ui/button";
import { FormError, Labelled } from "../../components/ui/field";
import { messageOf } from "../../lib/errors";
import { useTRPC } from "../../lib/trpc";
import { compact, type InboxQuery } from "./query";

/** Each person's saved inbox views: open one, save the current tab, filters and sort, delete. */
export function SavedViews({
  query,
  onOpen,
}: {
  query: InboxQuery;
  onOpen: (query: InboxQuery) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const views = useQuery(trpc.view.list.queryOptions());
  const create = useMutation(
    trpc.view.create.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.view.list.pathFilter()),
    }),
  );
  const remove = useMutation(
    trpc.view.delete.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.view.list.pathFilter()),
    }),
  );
  const [chosen, setChosen] = useState("");
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState("");
  const error = create.error ?? remove.error;

  return (
    <div className="views">
      <Labelled label="View" inline>
        <select
          value={chosen}
          onChange={(e) => {
            setChosen(e.target.value);
            const view = views.data?.find((v) => v.id === e.target.value);
            if (view) onOpen(view.query as InboxQuery);
          }}
        >
          <option value="">Saved views…</option>
          {(views.data ?? []).map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
            </option>
          ))}
        </select>
      </Labelled>
      {chosen ? (
        <Button
          variant="link"
          onClick={() => remove.mutate({ id: chosen }, { onSuccess: () => setChosen("") })}
        >
          Delete view
        </Button>
      ) : null}
      {naming ? (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate(
              { name: name.trim(), query: compact(query) },
              {
                onSuccess: (view) => {
                  setNaming(false);
                  setName("");
                  setChosen(view.id);
                },
              },
            );
          }}
        >
          <Labelled label="View name" inline>
            <input
              value={name}
              maxLength={60}
              required
              // biome-ignore lint/a11y/noAutofocus: the person just asked to name the view
              autoFocus
              onChange={(e) => setName(e.target.value)}
            />
          </Labelled>
          <Button type="submit" variant="primary" disabled={create.isPending}>
            Save view
          </Button>
          <Button variant="link" onClick={() => setNaming(false)}>
            Cancel
          </Button>
        </form>
      ) : (
        <Button onClick={() => setNaming(true)}>Save as view…</Button>
      )}
      {error ? <FormError message={messageOf(error)} /> : null}
    </div>
  );
}
