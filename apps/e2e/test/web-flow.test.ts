import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { until } from "@remit/testkit";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { artifactsDir } from "./browser";
import {
  email,
  fillSignUp,
  inboxRows,
  mutateFromPage,
  queryFromPage,
  signUpWithTenant,
} from "./pages";
import { useStage } from "./stage";

/*
 * The web app as staff use it, in Debian's Chromium, against the real API (serving the built
 * SPA on its own port) and a real OCR worker. Tenant A uploads, corrects, submits; a verifier
 * it invited verifies and approves (A, a two-person company, relaxed separation of duties, and
 * the invoice says so); the invoice locks. Tenant B never sees any of it: not in the inbox, not
 * by URL, not by search, not through a download link copied from A. Switching tenants never
 * shows the other tenant's rows, not even for one frame.
 */

const stage = useStage();

describe("two tenants in the browser", () => {
  let pageA: Page;
  let pageB: Page;
  let invoiceId: string;
  let correctedNumber: string;

  it("tenant A uploads a PDF and a scan, and both are read", async () => {
    pageA = await signUpWithTenant(
      await stage.newContext(),
      stage.api.url,
      { name: "Ada", email: email("ada") },
      "Alpha Co",
    );
    await pageA
      .getByLabel("Invoice files")
      .setInputFiles([stage.docs.pdfPath, stage.docs.scanPath]);
    const uploads = pageA.getByRole("list", { name: "Uploads" });
    await until(
      "both uploads to finish",
      async () => (await uploads.getByText("uploaded", { exact: true }).count()) === 2,
    );
    let rows: string[] = [];
    await until(
      "OCR of both documents",
      async () => {
        rows = await inboxRows(pageA);
        // "read" comes from the live stream at once; the fields arrive with the list's refetch.
        return (
          rows.length === 2 &&
          rows.every((row) => /(^|\s)read(\s|$)/.test(row) && !row.includes("No date"))
        );
      },
      180_000,
    ).catch((error) => {
      throw new Error(`${error.message}; the inbox showed: ${JSON.stringify(rows)}`);
    });
    expect(rows.some((row) => row.includes(stage.docs.pdfTruth.invoiceNumber))).toBe(true);
    await pageA.screenshot({ path: join(artifactsDir, "inbox.png"), fullPage: true });
  });

  it("says in words what is wrong with a bad file, and moves through the inbox by keyboard", async () => {
    const fake = join(artifactsDir, "not-really.pdf");
    writeFileSync(fake, "this is plain text, not a PDF");
    await pageA.getByLabel("Invoice files").setInputFiles([fake]);
    const row = pageA.getByTestId("upload-row").filter({ hasText: "not-really.pdf" });
    await row.getByText(/^Wrong type:/).waitFor();
    expect(await row.textContent()).not.toMatch(/[{}]|"error"/);

    await pageA.getByRole("list", { name: "Invoices" }).getByRole("link").first().focus();
    await pageA.keyboard.press("j");
    await pageA.keyboard.press("Enter");
    await pageA.waitForURL(/\/invoices\/[0-9a-f-]{36}$/);
    await pageA.goBack();
    await pageA.getByRole("list", { name: "Invoices" }).waitFor();
  });

  it("shows the read fields with their boxes; A corrects a field and submits", async () => {
    await pageA.getByRole("link", { name: new RegExp(stage.docs.pdfTruth.invoiceNumber) }).click();
    await pageA.getByLabel("Invoice number").waitFor();
    invoiceId = pageA.url().split("/invoices/")[1] ?? "";
    expect(invoiceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await pageA.getByLabel("Invoice number").inputValue()).toBe(
      stage.docs.pdfTruth.invoiceNumber,
    );
    expect(await pageA.getByLabel("Total", { exact: true }).inputValue()).toBe(
      stage.docs.pdfTruth.total,
    );
    await pageA.locator("img").first().waitFor();
    await pageA.waitForFunction(() =>
      [...document.images].every((image) => image.complete && image.naturalWidth > 0),
    );
    await pageA.screenshot({ path: join(artifactsDir, "review.png"), fullPage: true });

    correctedNumber = `${stage.docs.pdfTruth.invoiceNumber}-C`;
    await pageA.getByLabel("Invoice number").fill(correctedNumber);
    await pageA.getByRole("button", { name: "Save" }).click();
    await pageA.getByText("Saved.").waitFor();
    // A scanned PDF may carry warnings (arithmetic, a duplicate): they are acknowledged first.
    const acknowledge = pageA.getByLabel("I have checked the warnings above");
    if (await acknowledge.count()) await acknowledge.check();
    await pageA.getByRole("button", { name: "Submit" }).click();
    await pageA.getByText("Pending verification").first().waitFor();
  });

  it("a verifier A invited approves, and the invoice is locked", async () => {
    const verifierEmail = email("vera");
    await pageA.getByRole("link", { name: "Members" }).click();
    await pageA
      .getByRole("heading", { name: /Members/ })
      .first()
      .waitFor();
    await pageA.getByLabel("Email").fill(verifierEmail);
    const inviteForm = pageA
      .locator("form")
      .filter({ has: pageA.getByRole("button", { name: "Invite" }) });
    await inviteForm.locator("select").selectOption("verifier");
    await pageA.getByRole("button", { name: "Invite" }).click();
    const link = await pageA.locator(".invitation-link").first().textContent();
    expect(link).toMatch(/\/accept\/[0-9a-f-]{36}/);

    const pageV = await (await stage.newContext()).newPage();
    await pageV.goto(link ?? "");
    await pageV.getByRole("button", { name: "I am new to Remit" }).click();
    await fillSignUp(pageV, { name: "Vera", email: verifierEmail });
    await pageV.getByRole("button", { name: "Accept invitation" }).click();
    await pageV.getByRole("list", { name: "Invoices" }).waitFor();
    // Two people: whoever verifies may not also approve unless the admin relaxes separation of
    // duties, which a two-person company may (a setting with no screen: its tRPC mutation).
    await mutateFromPage(pageA, "settings.setSeparationOfDuties", { enabled: false });
    await pageV.goto(`${stage.api.url}/invoices/${invoiceId}`);
    await pageV.getByRole("button", { name: "Verify" }).click();
    await pageV.getByText("Verified by").waitFor();
    await pageV.getByRole("button", { name: "Approve" }).click();
    await pageV.getByRole("button", { name: "Confirm approval" }).click();
    await pageV.getByText("Approved to AP").first().waitFor();
    await pageV.getByText("Locked").first().waitFor();
    await pageV.getByText(/^Separation of duties relaxed/).waitFor();
    expect(await pageV.getByLabel("Invoice number").isEditable()).toBe(false);
    await pageV.screenshot({ path: join(artifactsDir, "review-locked.png"), fullPage: true });
  });

  it("tenant B sees none of it: inbox, search, URL, copied download link", async () => {
    const contextB = await stage.newContext();
    const bob = { name: "Bob", email: email("bob") };
    pageB = await signUpWithTenant(contextB, stage.api.url, bob, "Beta Co");
    // Sign out and back in: the session comes back to B's own tenant.
    await pageB.getByRole("button", { name: "Sign out" }).click();
    await pageB.getByLabel("Email").fill(bob.email);
    await pageB.getByLabel("Password").fill("correct horse battery");
    await pageB.getByRole("button", { name: "Sign in" }).click();
    await pageB
      .getByText("No invoices")
      .or(pageB.getByRole("list", { name: "Invoices" }))
      .first()
      .waitFor();
    expect(await pageB.getByLabel("Tenant").inputValue()).not.toBe("");
    expect(await inboxRows(pageB)).toEqual([]);

    await pageB.getByRole("searchbox", { name: "Search" }).fill(correctedNumber);
    await pageB.waitForTimeout(800);
    expect(await inboxRows(pageB)).toEqual([]);
    // Counts reveal nothing either: every status tab of B says 0.
    expect(await pageB.getByRole("link", { name: /^All 0$/ }).count()).toBe(1);

    await pageB.goto(`${stage.api.url}/invoices/${invoiceId}`);
    await pageB.getByRole("heading", { name: "Invoice not found" }).waitFor();
    expect(await pageB.getByText(correctedNumber).count()).toBe(0);

    const { url: link } = await queryFromPage<{ url: string }>(pageA, "invoice.fileUrl", {
      id: invoiceId,
    });
    expect((await pageA.context().request.get(link)).status()).toBe(200);
    const copied = await contextB.request.get(link);
    expect(copied.status()).toBe(404);
    expect(await copied.text()).not.toContain("%PDF");
  });

  it("fits a phone-width screen without sideways scrolling", async () => {
    const phone = await pageA.context().newPage();
    await phone.setViewportSize({ width: 375, height: 800 });
    for (const [path, name] of [
      ["/", "inbox-phone.png"],
      [`/invoices/${invoiceId}`, "review-phone.png"],
    ] as const) {
      await phone.goto(`${stage.api.url}${path}`);
      await phone.getByRole("main").waitFor();
      await phone.waitForTimeout(500);
      const overflow = await phone.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(1);
      await phone.screenshot({ path: join(artifactsDir, name), fullPage: true });
    }
    await phone.close();
  });

  it("switching tenants never shows the other tenant's rows, not even for a frame", async () => {
    await pageA.goto(`${stage.api.url}/`);
    await pageA.getByRole("list", { name: "Invoices" }).waitFor();
    await pageA.getByLabel("Tenant").selectOption({ label: "+ New tenant…" });
    await pageA.getByLabel("Tenant name").fill("Alpha Two");
    await pageA.getByRole("button", { name: "Create tenant" }).click();
    await pageA
      .getByText("No invoices")
      .or(pageA.getByRole("list", { name: "Invoices" }))
      .first()
      .waitFor();

    // Every animation frame: which tenant the header shows, and whether A's rows are on screen.
    await pageA.evaluate((number) => {
      const frames: Array<{ tenant: string; leaked: boolean }> = [];
      (window as unknown as { frames_: typeof frames }).frames_ = frames;
      const tick = () => {
        const select = [...document.querySelectorAll("select")].find(
          (s) =>
            s.labels?.[0]?.textContent?.trim() === "Tenant" ||
            s.getAttribute("aria-label") === "Tenant",
        );
        const tenant = select?.selectedOptions[0]?.textContent ?? "(none)";
        frames.push({
          tenant,
          leaked: (document.querySelector("main")?.textContent ?? "").includes(number),
        });
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    }, correctedNumber);

    for (const target of ["Alpha Co", "Alpha Two", "Alpha Co", "Alpha Two"]) {
      await pageA.getByLabel("Tenant").selectOption({ label: target });
      await until(`the ${target} inbox`, async () => {
        const rows = await inboxRows(pageA);
        return target === "Alpha Co"
          ? rows.some((r) => r.includes(correctedNumber))
          : rows.length === 0;
      });
    }
    const frames = await pageA.evaluate(
      () => (window as unknown as { frames_: Array<{ tenant: string; leaked: boolean }> }).frames_,
    );
    expect(frames.length).toBeGreaterThan(10);
    expect(frames.filter((f) => f.tenant === "Alpha Co" && f.leaked).length).toBeGreaterThan(0);
    expect(frames.filter((f) => f.tenant !== "Alpha Co" && f.leaked)).toEqual([]);
  });
});
