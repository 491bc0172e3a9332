import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Button } from "../components/ui/button";
import { Field, FormError, Labelled } from "../components/ui/field";
import { Spinner } from "../components/ui/spinner";
import { fieldErrorsOf, messageOf } from "../lib/errors";
import { formatDateTime } from "../lib/format";
import { type Outputs, useTRPC } from "../lib/trpc";
import { useRowAction } from "../lib/use-row-action";

type Mailbox = Outputs["imapMailbox"]["list"][number];
type TlsMode = Mailbox["tlsMode"];

const tlsLabel: Record<TlsMode, string> = {
  implicit: "TLS (port 993)",
  starttls: "STARTTLS (port 143)",
  none: "None (only if the operator allows it)",
};

interface Draft {
  label: string;
  host: string;
  port: string;
  tlsMode: TlsMode;
  username: string;
  password: string;
  folder: string;
  processedFolder: string;
}

const empty: Draft = {
  label: "",
  host: "",
  port: "993",
  tlsMode: "implicit",
  username: "",
  password: "",
  folder: "INBOX",
  processedFolder: "",
};

function draftOf(m: Mailbox): Draft {
  return {
    label: m.label,
    host: m.host,
    port: String(m.port),
    tlsMode: m.tlsMode,
    username: m.username,
    password: "",
    folder: m.folder,
    processedFolder: m.processedFolder ?? "",
  };
}

/**
 * IMAP mailboxes Remit polls, for teams that cannot point mail at Remit: a form (the password is
 * sent once and never shown again: the server answers only whether one is set), a connection
 * test, each mailbox's status (last poll, last error as a sentence, messages imported), and
 * disable, enable and delete.
 */
export function ImapMailboxes() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.imapMailbox.list.queryOptions());
  const create = useMutation(trpc.imapMailbox.create.mutationOptions());
  const update = useMutation(trpc.imapMailbox.update.mutationOptions());
  const test = useMutation(trpc.imapMailbox.test.mutationOptions());
  const disable = useMutation(trpc.imapMailbox.disable.mutationOptions());
  const remove = useMutation(trpc.imapMailbox.delete.mutationOptions());
  const [editing, setEditing] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft>(empty);
  const [notice, setNotice] = useState<{ id: string; text: string; ok: boolean } | null>(null);
  const { rowError, act } = useRowAction(() =>
    queryClient.invalidateQueries(trpc.imapMailbox.list.pathFilter()),
  );

  const saving = editing ? update : create;
  const errors = fieldErrorsOf(saving.error);
  const set = (key: keyof Draft) => (e: { target: { value: string } }) =>
    setDraft({ ...draft, [key]: e.target.value });

  async function onSave(event: FormEvent) {
    event.preventDefault();
    const settings = {
      label: draft.label.trim(),
      host: draft.host.trim(),
      port: Number(draft.port),
      tlsMode: draft.tlsMode,
      username: draft.username.trim(),
      folder: draft.folder.trim() || "INBOX",
      processedFolder: draft.processedFolder.trim() || null,
    };
    try {
      if (editing) {
        await update.mutateAsync({
          id: editing,
          data: { ...settings, ...(draft.password ? { password: draft.password } : {}) },
        });
      } else {
        await create.mutateAsync({ ...settings, password: draft.password });
      }
      setEditing(null);
      setDraft(empty);
      await queryClient.invalidateQueries(trpc.imapMailbox.list.pathFilter());
    } catch {
      // shown below
    }
  }

  const onTest = (id: string) =>
    act(async () => {
      const result = await test.mutateAsync({ id });
      setNotice({
        id,
        ok: result.ok,
        text: result.ok
          ? `Connected: ${result.messages ?? 0} message(s) in the folder.`
          : (result.error ?? "The connection failed."),
      });
    });

  const onDelete = (id: string) => {
    if (!window.confirm("Delete this mailbox and its stored password? Messages it brought stay.")) {
      return;
    }
    void act(() => remove.mutateAsync({ id }));
  };

  return (
    <>
      <h2>IMAP mailboxes</h2>
      <p className="hint">
        For mail you cannot forward to Remit: Remit logs in to the mailbox every minute or so and
        reads new messages the same way as mail sent to an address above. After a message is read it
        is marked as read, and moved to the processed folder if you name one. The password is stored
        encrypted and never shown again.
      </p>
      {list.isPending ? <Spinner label="Loading mailboxes…" /> : null}
      {list.isError ? <FormError message={messageOf(list.error)} /> : null}
      <FormError message={rowError} />
      {list.data && list.data.length > 0 ? (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Mailbox</th>
              <th scope="col">Status</th>
              <th scope="col">Last poll</th>
              <th scope="col">Imported</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((m) => (
              <tr key={m.id}>
                <td>
                  {m.label ? <strong>{m.label}</strong> : null} {m.username} at {m.host}:{m.port}
                  <br />
                  <span className="muted">
                    {`${m.folder}${m.processedFolder ? ` → ${m.processedFolder}` : ""}, ${tlsLabel[m.tlsMode]}, password ${m.passwordSet ? "set" : "not set"}`}
                  </span>
                </td>
                <td>
                  {m.enabled ? "polling" : "disabled"}
                  {m.lastError ? (
                    <p className="form-error" role="status">
                      {m.lastError}
                    </p>
                  ) : null}
                  {notice?.id === m.id ? (
                    <p className={notice.ok ? "hint" : "form-error"} role="status">
                      {notice.text}
                    </p>
                  ) : null}
                </td>
                <td>{m.lastPollAt ? formatDateTime(m.lastPollAt) : "not yet"}</td>
                <td>{m.importedCount}</td>
                <td>
                  <Button onClick={() => onTest(m.id)} disabled={test.isPending}>
                    Test connection
                  </Button>{" "}
                  <Button
                    onClick={() => {
                      setEditing(m.id);
                      setDraft(draftOf(m));
                    }}
                  >
                    Edit
                  </Button>{" "}
                  {m.enabled ? (
                    <Button onClick={() => act(() => disable.mutateAsync({ id: m.id }))}>
                      Disable
                    </Button>
                  ) : (
                    <Button
                      onClick={() =>
                        act(() => update.mutateAsync({ id: m.id, data: { enabled: true } }))
                      }
                    >
                      Enable
                    </Button>
                  )}{" "}
                  <Button variant="danger-quiet" onClick={() => onDelete(m.id)}>
                    Delete
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : list.data ? (
        <p className="muted">No IMAP mailboxes.</p>
      ) : null}

      <form className="card stack" onSubmit={onSave} aria-labelledby="imap-form-title">
        <h2 id="imap-form-title">{editing ? "Edit IMAP mailbox" : "New IMAP mailbox"}</h2>
        <Field
          label="Label"
          value={draft.label}
          maxLength={100}
          onChange={set("label")}
          error={errors.label}
        />
        <Field
          label="Server (host name)"
          value={draft.host}
          required
          maxLength={253}
          onChange={set("host")}
          error={errors.host}
          hint="Private and loopback addresses are refused unless the operator allows them."
        />
        <Field
          label="Port"
          type="number"
          min={1}
          max={65535}
          value={draft.port}
          onChange={set("port")}
          error={errors.port}
        />
        <Labelled label="Encryption">
          <select value={draft.tlsMode} onChange={set("tlsMode")}>
            {(Object.keys(tlsLabel) as TlsMode[]).map((mode) => (
              <option key={mode} value={mode}>
                {tlsLabel[mode]}
              </option>
            ))}
          </select>
        </Labelled>
        <Field
          label="User name"
          value={draft.username}
          required
          maxLength={320}
          onChange={set("username")}
          error={errors.username}
        />
        <Field
          label="Password"
          type="password"
          autoComplete="new-password"
          value={draft.password}
          required={!editing}
          onChange={set("password")}
          error={errors.password}
          hint={editing ? "Leave empty to keep the stored password." : undefined}
        />
        <Field
          label="Folder to read"
          value={draft.folder}
          maxLength={200}
          onChange={set("folder")}
          error={errors.folder}
        />
        <Field
          label="Move read messages to (optional)"
          value={draft.processedFolder}
          maxLength={200}
          onChange={set("processedFolder")}
          error={errors.processedFolder}
          hint="Empty: messages stay where they are, marked as read."
        />
        <FormError
          message={
            saving.error && Object.keys(errors).length === 0 ? messageOf(saving.error) : null
          }
        />
        <div>
          <Button type="submit" variant="primary" disabled={saving.isPending}>
            {editing ? "Save mailbox" : "Add mailbox"}
          </Button>{" "}
          {editing ? (
            <Button
              onClick={() => {
                setEditing(null);
                setDraft(empty);
              }}
            >
              Cancel
            </Button>
          ) : null}
        </div>
      </form>
    </>
  );
}
