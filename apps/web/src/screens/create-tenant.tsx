import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Button } from "../components/ui/button";
import { Field, FormError } from "../components/ui/field";
import { fieldErrorsOf, messageOf } from "../lib/errors";
import { Link } from "../lib/router";
import { useAppState } from "../lib/tenant";
import { useTRPC } from "../lib/trpc";

export function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63)
    .replace(/-+$/g, "");
}

/** The first screen after sign-up when the user belongs to no tenant; also /tenants/new. */
export function CreateTenant({ first = false }: { first?: boolean }) {
  const trpc = useTRPC();
  const { switchTo, signOut } = useAppState();
  const create = useMutation(trpc.tenant.create.mutationOptions());
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [slugEdited, setSlugEdited] = useState(false);
  const errors = fieldErrorsOf(create.error);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const created = await create
      .mutateAsync({ name: name.trim(), slug: slug || slugify(name) })
      .catch(() => null);
    if (created) await switchTo(created.id);
  }

  return (
    <main className="auth-page" id="main">
      <section className="card auth-card" aria-labelledby="create-tenant-title">
        <h1 id="create-tenant-title">{first ? "Create your tenant" : "Create a tenant"}</h1>
        <p>
          A tenant is your organisation&rsquo;s own space in Remit: its invoices, suppliers and
          members are visible to nobody else.
        </p>
        <form className="stack" onSubmit={onSubmit}>
          <Field
            label="Tenant name"
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              if (!slugEdited) setSlug(slugify(e.target.value));
            }}
            error={errors.name}
            required
          />
          <Field
            label="Short name (slug)"
            value={slug}
            onChange={(e) => {
              setSlug(e.target.value);
              setSlugEdited(true);
            }}
            error={errors.slug}
            hint="Lower-case letters, digits and dashes."
            pattern="[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"
            required
          />
          <FormError
            message={create.error && !errors.name && !errors.slug ? messageOf(create.error) : null}
          />
          <Button type="submit" variant="primary" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create tenant"}
          </Button>
        </form>
        <p className="row">
          {first ? null : <Link to="/">Back</Link>}
          <Button variant="link" onClick={() => signOut()}>
            Sign out
          </Button>
        </p>
      </section>
    </main>
  );
}
