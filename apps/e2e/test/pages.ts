import type { BrowserContext, Page } from "playwright-core";

/** Signs a new person up through the web app and creates their first tenant. */
export async function signUpWithTenant(
  context: BrowserContext,
  url: string,
  person: { name: string; email: string },
  tenantName: string,
): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${url}/signup`);
  await fillSignUp(page, person);
  await page.getByLabel("Tenant name").fill(tenantName);
  await page.getByRole("button", { name: "Create tenant" }).click();
  await page
    .getByRole("list", { name: "Invoices" })
    .or(page.getByText("No invoices"))
    .first()
    .waitFor();
  return page;
}

export async function fillSignUp(page: Page, person: { name: string; email: string }) {
  await page.getByLabel("Name", { exact: true }).fill(person.name);
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Sign up" }).click();
}

/** The text of the inbox rows (each row is a link; a duplicate's "Other copy" link is not one). */
export async function inboxRows(page: Page): Promise<string[]> {
  const rows = page.getByRole("list", { name: "Invoices" }).locator("a.invoice-row");
  // innerText, not textContent: it keeps the gaps between a row's cells ("Draft read").
  return rows.evaluateAll((links) =>
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text with its separators is the point
    links.map((l) => (l as HTMLElement).innerText),
  );
}

export const email = (who: string) => `${who}-${crypto.randomUUID().slice(0, 8)}@example.test`;

/** A GET of a tRPC query from inside the page: the signed-in browser's own session answers. */
export async function queryFromPage<T>(page: Page, path: string, input: unknown): Promise<T> {
  return page.evaluate(
    async ({ path, input }) => {
      const query = encodeURIComponent(JSON.stringify({ json: input }));
      const response = await fetch(`/api/trpc/${path}?input=${query}`);
      const body = (await response.json()) as {
        result?: { data: { json: unknown } };
        error?: { json?: { message?: string } };
      };
      if (!response.ok || !body.result) {
        throw new Error(body.error?.json?.message ?? `HTTP ${response.status}`);
      }
      return body.result.data.json as T;
    },
    { path, input },
  );
}

/** A tRPC mutation with the page's own session, for settings the web app has no screen for. */
export async function mutateFromPage<T>(page: Page, path: string, input: unknown): Promise<T> {
  return page.evaluate(
    async ({ path, input }) => {
      const response = await fetch(`/api/trpc/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ json: input }),
      });
      const body = (await response.json()) as {
        result?: { data: { json: unknown } };
        error?: { json?: { message?: string } };
      };
      if (!response.ok || !body.result) {
        throw new Error(body.error?.json?.message ?? `HTTP ${response.status}`);
      }
      return body.result.data.json as T;
    },
    { path, input },
  );
}
