import { join } from "node:path";
import { until } from "@remit/testkit";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { artifactsDir } from "./browser";
import { email, fillSignUp, inboxRows, mutateFromPage, signUpWithTenant } from "./pages";
import { useStage } from "./stage";

/*
 * Approval an auditor accepts, in the browser: the admin sets a band that wants two approvals;
 * a user uploads and submits; a verifier verifies (found in "Waiting for me"); two approvers
 * approve and the invoice locks only with the second; accounting marks it paid and it moves to
 * the Paid tab. A rejection says who rejected it and why, on the invoice and in the inbox.
 */

const stage = useStage();

/** Invites a person with a role and has them accept in a browser of their own. */
async function joinAs(admin: Page, name: string, role: "user" | "verifier"): Promise<Page> {
  const address = email(name.toLowerCase());
  const invitation = await mutateFromPage<{ id: string }>(admin, "member.invite", {
    email: address,
    role,
  });
  const page = await (await stage.newContext()).newPage();
  await page.goto(`${stage.api.url}/accept/${invitation.id}`);
  await page.getByRole("button", { name: "I am new to Remit" }).click();
  await fillSignUp(page, { name, email: address });
  await page.getByRole("button", { name: "Accept invitation" }).click();
  await page
    .getByRole("list", { name: "Invoices" })
    .or(page.getByText("No invoices"))
    .first()
    .waitFor();
  return page;
}

const mainNav = (page: Page) => page.getByRole("navigation", { name: "Main" });

/** Opens the caller's queue from the navigation and the invoice in it. */
async function openFromQueue(page: Page, invoiceNumber: string) {
  await mainNav(page)
    .getByRole("link", { name: /^Waiting for me/ })
    .click();
  await until("the invoice in the queue", async () =>
    (await inboxRows(page)).some((row) => row.includes(invoiceNumber)),
  );
  await page.getByRole("link", { name: new RegExp(invoiceNumber) }).click();
  await page.getByLabel("Invoice number").waitFor();
}

describe("two-person approval with a threshold", () => {
  let admin: Page;
  let user: Page;
  let verifier: Page;
  let approver: Page;
  let invoiceId: string;
  const number = () => stage.docs.pdfTruth.invoiceNumber;

  it("the admin sets a band that wants two approvals", async () => {
    admin = await signUpWithTenant(
      await stage.newContext(),
      stage.api.url,
      { name: "Ada", email: email("ada") },
      "Gamma Co",
    );
    await mainNav(admin).getByRole("link", { name: "Approval policy" }).click();
    await admin.getByRole("heading", { name: "Approval bands" }).waitFor();
    await admin.getByRole("button", { name: "Add band" }).click();
    await admin.getByLabel("Band 1 currency").fill(stage.docs.pdfTruth.currency);
    await admin.getByLabel("Band 1 from total").fill("1.00");
    await admin.getByLabel("Band 1 approvals required").fill("2");
    await admin.getByRole("button", { name: "Save bands" }).click();
    await admin.getByText("Approval bands saved.").waitFor();
    await admin.screenshot({ path: join(artifactsDir, "approval-policy.png"), fullPage: true });
    user = await joinAs(admin, "Uma", "user");
    verifier = await joinAs(admin, "Vic", "verifier");
    approver = await joinAs(admin, "Pat", "verifier");
  });

  it("a user uploads and submits", async () => {
    await user.getByLabel("Invoice files").setInputFiles([stage.docs.pdfPath]);
    await until(
      "the reading of the upload",
      async () => {
        const rows = await inboxRows(user);
        return (
          rows.length === 1 &&
          /(^|\s)read(\s|$)/.test(rows[0] ?? "") &&
          !rows[0]?.includes("No date")
        );
      },
      180_000,
    );
    // The read draft is the user's next step.
    await openFromQueue(user, number());
    invoiceId = user.url().split("/invoices/")[1] ?? "";
    const acknowledge = user.getByLabel("I have checked the warnings above");
    if (await acknowledge.count()) await acknowledge.check();
    await user.getByRole("button", { name: "Submit" }).click();
    await user.getByText("Pending verification").first().waitFor();
  });

  it("the verifier finds it waiting and verifies it", async () => {
    await verifier.reload();
    await openFromQueue(verifier, number());
    await verifier.screenshot({ path: join(artifactsDir, "waiting-for-me.png"), fullPage: true });
    await verifier.getByRole("button", { name: "Verify" }).click();
    await verifier.getByText("Verified by").waitFor();
    // Verified it: the approval is someone else's.
    expect(await verifier.getByRole("button", { name: "Approve" }).count()).toBe(0);
  });

  it("the first approval is recorded; the invoice stays open", async () => {
    await approver.reload();
    await openFromQueue(approver, number());
    await approver.getByRole("button", { name: "Approve" }).click();
    await approver.getByRole("button", { name: "Confirm approval" }).click();
    await approver.getByText(/1 of 2.*waiting for 1 more approval/).waitFor();
    expect(await approver.getByText("Locked").count()).toBe(0);
    expect(await approver.getByLabel("Invoice number").isEditable()).toBe(true);
    await approver.screenshot({ path: join(artifactsDir, "approval-1-of-2.png"), fullPage: true });
  });

  it("the second approval locks it", async () => {
    await admin.goto(`${stage.api.url}/`);
    await openFromQueue(admin, number());
    expect(admin.url()).toBe(`${stage.api.url}/invoices/${invoiceId}`);
    await admin.getByRole("button", { name: "Approve" }).click();
    await admin.getByRole("button", { name: "Confirm approval" }).click();
    await admin.getByText("Approved to AP").first().waitFor();
    await admin.getByText("Locked").first().waitFor();
    await admin.getByText(/Approved to accounts payable.* by Pat and Ada/).waitFor();
    expect(await admin.getByLabel("Invoice number").isEditable()).toBe(false);
  });

  it("accounting marks it paid, and it moves to the Paid tab", async () => {
    await admin.getByRole("button", { name: "Mark paid" }).click();
    await admin.getByLabel("Payment reference (optional)").fill("TRX-E2E-1");
    await admin.getByRole("button", { name: "Confirm paid" }).click();
    await admin.getByText(/Paid on .*\(reference TRX-E2E-1\)/).waitFor();
    expect(await admin.getByRole("button", { name: "Mark paid" }).count()).toBe(0);
    await admin.screenshot({ path: join(artifactsDir, "review-paid.png"), fullPage: true });
    await admin.goto(`${stage.api.url}/inbox?status=paid`);
    await admin.getByRole("link", { name: /^Paid 1$/ }).waitFor();
    await until("the paid invoice in the Paid tab", async () =>
      (await inboxRows(admin)).some((row) => row.includes(number()) && row.includes("Paid")),
    );
    await admin.getByRole("link", { name: /^Approved to AP 0$/ }).waitFor();
    await admin.screenshot({ path: join(artifactsDir, "inbox-paid.png"), fullPage: true });
  });

  it("a rejection says who and why, on the invoice and in the inbox", async () => {
    const created = await mutateFromPage<{ id: string }>(user, "invoice.create", {
      invoiceNumber: "REJ-1",
      invoiceDate: "2026-11-05",
      currency: "EUR",
      total: "10.00",
      lineItems: [],
    });
    // A supplier: the submit gate wants one.
    const supplier = await mutateFromPage<{ id: string }>(verifier, "supplier.create", {
      name: "Rejected Supplies",
    });
    await mutateFromPage(user, "invoice.update", {
      id: created.id,
      data: { supplierId: supplier.id },
    });
    await mutateFromPage(user, "invoice.submit", { id: created.id });
    await verifier.goto(`${stage.api.url}/invoices/${created.id}`);
    await verifier.getByRole("button", { name: "Reject" }).click();
    await verifier.getByLabel("Reason").fill("Wrong VAT rate");
    await verifier.getByRole("button", { name: "Confirm rejection" }).click();
    await verifier.getByText("Rejected by Vic").first().waitFor();

    await user.goto(`${stage.api.url}/invoices/${created.id}`);
    await user.getByText(/Rejected by Vic on .*“Wrong VAT rate”/).waitFor();
    await user.screenshot({ path: join(artifactsDir, "review-rejected.png"), fullPage: true });
    await openFromQueue(user, "REJ-1");
    await user.goto(`${stage.api.url}/inbox?view=waiting`);
    await until("the rejection in the inbox row", async () =>
      (await inboxRows(user)).some(
        (row) => row.includes("REJ-1") && row.includes("Rejected by Vic: “Wrong VAT rate”"),
      ),
    );
    await user.screenshot({ path: join(artifactsDir, "inbox-rejected.png"), fullPage: true });
  });
});
