import { useState } from "react";
import { FormError } from "../../components/form";
import { messageOf } from "../../lib/errors";
import { trpc } from "../../lib/trpc";
import { compact, type InboxQuery } from "./query";

/** Each person's saved inbox views: open one, save the current tab, filters and sort, delete. */
export function SavedViews({
  query,
  onOpen,
}: {
  query: InboxQuery;
  onOpen: (query: InboxQuery) => void;
}) {
  const utils = trpc.useUtils();
  const views = trpc.view.list.useQuery();
  const create = trpc.view.create.useMutation({ onSuccess: () => utils.view.list.invalidate() });
  const remove = trpc.view.delete.useMutation({ onSuccess: () => utils.view.list.invalidate() });
  const [chosen, setChosen] = useState("");
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState("");
  const error = create.error ?? remove.error;

  return (
    <div className="views">
      <label className="field inline">
        <span>View</span>
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
      </label>
      {chosen ? (
        <button
          type="button"
          className="link"
          onClick={() => remove.mutate({ id: chosen }, { onSuccess: () => setChosen("") })}
        >
          Delete view
        </button>
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
          <label className="field inline">
            <span>View name</span>
            <input
              value={name}
              maxLength={60}
              required
              // biome-ignore lint/a11y/noAutofocus: the person just asked to name the view
              autoFocus
              onChange={(e) => setName(e.target.value)}
            />
          </label>
          <button type="submit" className="primary" disabled={create.isPending}>
            Save view
          </button>
          <button type="button" className="link" onClick={() => setNaming(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <button type="button" onClick={() => setNaming(true)}>
          Save as view…
        </button>
      )}
      {error ? <FormError message={messageOf(error)} /> : null}
    </div>
  );
}
