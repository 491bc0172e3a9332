import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Button } from "../../components/ui/button";
import { FormError, Labelled } from "../../components/ui/field";
import { fieldErrorsOf, messageOf } from "../../lib/errors";
import { formatDateTime } from "../../lib/format";
import { useTenant } from "../../lib/tenant";
import { useTRPC } from "../../lib/trpc";

/** Any member may read and add comments, on any invoice, locked or not. */
export function Comments({ invoiceId }: { invoiceId: string }) {
  const trpc = useTRPC();
  const { user } = useTenant();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.comment.list.queryOptions({ invoiceId }));
  const add = useMutation(trpc.comment.add.mutationOptions());
  const [body, setBody] = useState("");

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!body.trim()) return;
    try {
      await add.mutateAsync({ invoiceId, body: body.trim() });
      setBody("");
      await queryClient.invalidateQueries(trpc.comment.list.queryFilter({ invoiceId }));
    } catch {
      // shown below
    }
  }

  const fieldError = fieldErrorsOf(add.error).body;
  return (
    <section className="comments" aria-labelledby="comments-title">
      <h2 id="comments-title">Comments</h2>
      {list.isError ? <FormError message={messageOf(list.error)} /> : null}
      {list.data && list.data.length === 0 ? <p className="muted">No comments yet.</p> : null}
      <ol className="comment-list">
        {list.data?.map((c) => (
          <li
            key={c.id}
            className={c.kind === "rejection" ? "comment comment-rejection" : "comment"}
          >
            <p className="comment-meta">
              {c.authorId === user.id ? "You" : "A member"} · {formatDateTime(c.createdAt)}
              {c.kind === "rejection" ? <strong> · Rejection reason</strong> : null}
            </p>
            <p className="comment-body">{c.body}</p>
          </li>
        ))}
      </ol>
      <form onSubmit={onSubmit} className="stack">
        <Labelled label="New comment">
          <textarea
            value={body}
            onChange={(e) => setBody(e.target.value)}
            rows={2}
            maxLength={10_000}
          />
        </Labelled>
        {fieldError ? <span className="field-error">{fieldError}</span> : null}
        <FormError message={add.error && !fieldError ? messageOf(add.error) : null} />
        <Button type="submit" disabled={add.isPending || !body.trim()}>
          Add comment
        </Button>
      </form>
    </section>
  );
}
