import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Button } from "../components/ui/button";
import { Field, FormError, Labelled } from "../components/ui/field";
import { Spinner } from "../components/ui/spinner";
import { fieldErrorsOf, messageOf } from "../lib/errors";
import { formatDateTime } from "../lib/format";
import { useTenant } from "../lib/tenant";
import { type Outputs, type Role, useTRPC } from "../lib/trpc";

const roles: Role[] = ["user", "verifier", "admin"];
const roleHelp: Record<Role, string> = {
  user: "uploads, edits and submits invoices",
  verifier: "also verifies, approves and rejects, and manages suppliers",
  admin: "also manages members and reads the audit log",
};

type Invitation = Outputs["member"]["invite"];

export default function Members() {
  const trpc = useTRPC();
  const { user } = useTenant();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.member.list.queryOptions());
  const invite = useMutation(trpc.member.invite.mutationOptions());
  const changeRole = useMutation(trpc.member.changeRole.mutationOptions());
  const remove = useMutation(trpc.member.remove.mutationOptions());
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("user");
  const [invitations, setInvitations] = useState<Invitation[]>([]);
  const [rowError, setRowError] = useState<string | null>(null);

  async function onInvite(event: FormEvent) {
    event.preventDefault();
    try {
      const created = await invite.mutateAsync({ email: email.trim(), role });
      setInvitations((all) => [created, ...all]);
      setEmail("");
    } catch {
      // shown below
    }
  }

  async function onRole(memberId: string, next: Role) {
    setRowError(null);
    try {
      await changeRole.mutateAsync({ memberId, role: next });
      await queryClient.invalidateQueries(trpc.member.list.pathFilter());
    } catch (err) {
      setRowError(messageOf(err));
    }
  }

  async function onRemove(memberId: string, name: string) {
    if (!window.confirm(`Remove ${name} from this tenant? They lose access at once.`)) return;
    setRowError(null);
    try {
      await remove.mutateAsync({ memberId });
      await queryClient.invalidateQueries(trpc.member.list.pathFilter());
    } catch (err) {
      setRowError(messageOf(err));
    }
  }

  const errors = fieldErrorsOf(invite.error);
  const link = (id: string) => `${window.location.origin}/accept/${id}`;

  return (
    <section className="page" aria-labelledby="members-title">
      <h1 id="members-title">Members and roles</h1>
      <form className="card stack" onSubmit={onInvite} aria-labelledby="invite-title">
        <h2 id="invite-title">Invite someone</h2>
        <div className="grid-2">
          <Field
            label="Email"
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={errors.email}
            required
          />
          <Labelled label="Role">
            <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {roles.map((r) => (
                <option key={r} value={r}>
                  {r} — {roleHelp[r]}
                </option>
              ))}
            </select>
          </Labelled>
        </div>
        <FormError message={invite.error && !errors.email ? messageOf(invite.error) : null} />
        <Button type="submit" variant="primary" disabled={invite.isPending}>
          Invite
        </Button>
      </form>

      {invitations.length > 0 ? (
        <section className="card" aria-labelledby="invitations-title">
          <h2 id="invitations-title">Invitation links</h2>
          <p className="hint">
            Send the link to the person invited; they sign up or sign in with that email address,
            then accept.
          </p>
          <ul className="plain-list">
            {invitations.map((inv) => (
              <li key={inv.id}>
                <strong>{inv.email}</strong> as {inv.role}, until {formatDateTime(inv.expiresAt)}:{" "}
                <a href={`/accept/${inv.id}`} className="invitation-link">
                  {link(inv.id)}
                </a>{" "}
                <Button
                  onClick={() => navigator.clipboard?.writeText(link(inv.id))}
                  aria-label={`Copy the invitation link for ${inv.email}`}
                >
                  Copy
                </Button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <h2>Members</h2>
      <FormError message={rowError} />
      {list.isPending ? <Spinner label="Loading members…" /> : null}
      {list.isError ? <FormError message={messageOf(list.error)} /> : null}
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Member since</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.data?.map((m) => (
            <tr key={m.id}>
              <td>
                {m.name}
                {m.userId === user.id ? " (you)" : ""}
              </td>
              <td>{m.email}</td>
              <td>
                <select
                  aria-label={`Role of ${m.name}`}
                  value={m.role}
                  disabled={changeRole.isPending}
                  onChange={(e) => onRole(m.id, e.target.value as Role)}
                >
                  {roles.map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
              </td>
              <td>{formatDateTime(m.createdAt)}</td>
              <td>
                <Button
                  variant="danger-quiet"
                  onClick={() => onRemove(m.id, m.name)}
                  aria-label={`Remove ${m.name}`}
                >
                  Remove
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
