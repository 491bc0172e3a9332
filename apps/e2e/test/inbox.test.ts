import { join } from "node:path";
import { until } from "@remit/testkit";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { artifactsDir } from "./browser";
import { email, inboxRows, mutateFromPage, signUpWithTenant } from "./pages";
import { useStage } from "./stage";

/*
 * The clerk's inbox (issue [6/7] item 6) in Debian's Chromium against the real API and worker:
 * sorting by a column, filtering, a saved view, bulk submit and verify with one invoice that
 * cannot be (a report per invoice), a duplicate flagged on both copies and on the review screen,
 * the preview's zoom, pan and click-a-word, and a failed upload sent again. Screenshots at 1440
 * and 390 px wide go to artifacts/e2e/.
 */

const stage = useStage();
let page: Page;

beforeAll(async () => {
  const context = await stage.newContext({ width: 1440, height: 1000 });
  page = await signUpWithTenant(
    context,
    stage.api.url,
    { name: "Ines", email: email("ines") },
    "Ines Co",
  );
  // One person does everything here: separation of duties is relaxed, as a small company would.
  await mutateFromPage(page, "settings.setSeparationOfDuties", { enabled: false });
});

const shot = async (name: string) => {
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: width > 1000 ? 1000 : 844 });
    await page.screenshot({ path: join(artifactsDir, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1440, height: 1000 });
};

describe("the clerk's inbox", () => {
  const ids: Record<string, string> = {};

  it("uploads, retrying one that failed on the way", async () => {
    // The first attempt is cut off on the wire; Retry sends the same file again.
    let cut = false;
    await page.route("**/api/invoices/upload", async (route) => {
      if (!cut) {
        cut = true;
        await route.abort("connectionreset");
      } else await route.continue();
    });
    await page.getByLabel("Invoice files").setInputFiles([stage.docs.pdfPath]);
    const row = page.getByTestId("upload-row").filter({ hasText: "supplier-invoice.pdf" });
    await row.getByRole("button", { name: /^Retry/ }).waitFor();
    expect(await row.locator(".field-error").textContent()).toBeTruthy();
    await page.unroute("**/api/invoices/upload");
    await row.getByRole("button", { name: /^Retry/ }).click();
    await row.getByText("uploaded", { exact: true }).waitFor({ timeout: 60_000 });
    await page.getByText(/1 upload: 1 uploaded/).waitFor();
    await until(
      "the upload to be read",
      async () =>
        (await inboxRows(page)).some((r) => r.includes(stage.docs.pdfTruth.invoiceNumber)),
      180_000,
    );
  });

  it("sorts by a column and filters", async () => {
    const supplier = await mutateFromPage<{ id: string }>(page, "supplier.create", {
      name: "Kessler Brau GmbH",
    });
    const make = (n: string, total: string, date: string, extra: object = {}) =>
      mutateFromPage<{ id: string }>(page, "invoice.create", {
        supplierId: supplier.id,
        invoiceNumber: n,
        invoiceDate: date,
        currency: "EUR",
        total,
        lineItems: [],
        ...extra,
      });
    ids.small = (await make("K-100", "15.00", "2026-03-01")).id;
    ids.large = (await make("K-200", "990.00", "2026-03-05")).id;
    ids.mid = (await make("K-300", "120.00", "2026-03-03")).id;
    // Two copies of one invoice: the same supplier and number.
    ids.copyA = (await make("K-DUP", "55.00", "2026-02-01")).id;
    ids.copyB = (await make("K-DUP", "55.00", "2026-02-01")).id;
    // Incomplete: cannot be submitted.
    ids.incomplete = (
      await mutateFromPage<{ id: string }>(page, "invoice.create", {
        invoiceNumber: "K-400",
        lineItems: [],
      })
    ).id;
    await page.reload();
    await page.getByRole("list", { name: "Invoices" }).waitFor();

    await page.getByRole("button", { name: "Sort by amount" }).click();
    await until("the amount sort's address", async () => page.url().includes("sort=totalDesc"));
    await until("the list sorted by amount", async () => {
      const rows = (await inboxRows(page)).filter((r) => r.includes("K-"));
      return rows[0]?.includes("K-200") === true && rows.at(-1)?.includes("K-400") === true;
    });
    await page.getByRole("button", { name: "Sort by amount" }).click();
    await until("the reversed sort's address", async () => page.url().includes("sort=totalAsc"));

    await page.getByText("Filters").click();
    await page.getByLabel("Amount from").fill("100.00");
    await until("the amount filter", async () => {
      const rows = (await inboxRows(page)).filter((r) => r.includes("K-"));
      return rows.length === 2 && rows.every((r) => /K-200|K-300/.test(r));
    });
    await page.getByLabel("Amount from").fill("");
    await page.getByLabel("Possible duplicate").check();
    await until("the duplicate filter", async () => {
      const rows = await inboxRows(page);
      return rows.length === 2 && rows.every((r) => r.includes("K-DUP"));
    });
    // Flagged on both copies, each linking to the other.
    const list = page.getByRole("list", { name: "Invoices" });
    expect(await list.getByText("Possible duplicate").count()).toBe(2);
    expect(await list.getByRole("link", { name: "Other copy" }).count()).toBe(2);
  });

  it("saves the view and opens it again", async () => {
    await page.getByRole("button", { name: "Save as view…" }).click();
    await page.getByLabel("View name").fill("Duplicates");
    await page.getByRole("button", { name: "Save view" }).click();
    // The view is saved once the server answered (the form closes, the view is chosen): leaving
    // the page before that would cancel the request.
    await page.getByRole("button", { name: "Delete view" }).waitFor();
    await page.goto(`${stage.api.url}/inbox`);
    await until("the whole inbox", async () => (await inboxRows(page)).length >= 7);
    await page.getByRole("combobox", { name: "View" }).selectOption({ label: "Duplicates" });
    await until("the view's address", async () => page.url().includes("dup=1"));
    await until("the view's rows", async () => (await inboxRows(page)).length === 2);
    await page.goto(`${stage.api.url}/inbox`);
    await until("the whole inbox", async () => (await inboxRows(page)).length >= 7);
  });

  it("submits and verifies in bulk, reporting the one that cannot be", async () => {
    const select = async (numbers: string[]) => {
      for (const n of numbers) await page.getByLabel(`Select ${n}`, { exact: true }).check();
    };
    await select(["K-100", "K-200", "K-400"]);
    const bar = page.getByRole("region", { name: "Selected invoices" });
    await bar.getByText("3 selected").waitFor();
    await bar.getByRole("button", { name: "Submit", exact: true }).click();
    const report = page.getByTestId("bulk-report");
    await report.getByText("2 of 3 submitted; 1 could not be:").waitFor();
    expect(await report.textContent()).toMatch(/K-400.*(supplier|fill|missing|required)/i);
    await shot("inbox-bulk-report");
    await page.getByRole("button", { name: "Clear selection" }).click();

    await select(["K-100", "K-200", "K-400"]);
    await bar.getByRole("button", { name: "Verify", exact: true }).click();
    await report.getByText("2 of 3 verified; 1 could not be:").waitFor();
    expect(await report.textContent()).toMatch(/K-400.*draft/i);
    await until("the statuses in the list", async () => {
      const rows = await inboxRows(page);
      return rows.filter((r) => /K-100|K-200/.test(r)).every((r) => r.includes("Verified"));
    });
    await page.getByRole("button", { name: "Clear selection" }).click();
    await page
      .getByRole("button", { name: "Dismiss" })
      .click()
      .catch(() => {});
    await shot("inbox");
  });

  it("shows the duplicate on the review screen, linking to the other copy", async () => {
    await page.goto(`${stage.api.url}/invoices/${ids.copyA}`);
    const note = page.getByTestId("duplicate-note");
    await note.waitFor();
    await note.getByRole("link", { name: "Open the other invoice" }).click();
    await page.waitForURL(new RegExp(`/invoices/${ids.copyB}$`));
    await page
      .getByTestId("duplicate-note")
      .getByRole("link", { name: "Open the other invoice" })
      .waitFor();
  });

  it("zooms and pans the preview; a word clicked fills the focused field", async () => {
    await page.goto(`${stage.api.url}/inbox`);
    await page.getByRole("link", { name: new RegExp(stage.docs.pdfTruth.invoiceNumber) }).click();
    await page.locator("img").first().waitFor();
    await page.waitForFunction(() =>
      [...document.images].every((image) => image.complete && image.naturalWidth > 0),
    );
    const pane = page.getByTestId("preview-pane");
    const zoom = page.getByRole("toolbar", { name: "Zoom" });
    const widthAt = () =>
      page
        .locator(".page-canvas")
        .first()
        .evaluate((el) => el.getBoundingClientRect().width);
    const before = await widthAt();
    await zoom.getByRole("button", { name: "+" }).click();
    await zoom.getByRole("button", { name: "+" }).click();
    await zoom.getByText("156%").waitFor();
    expect(await widthAt()).toBeGreaterThan(before * 1.5);
    // The boxes stay on their words: a word's box grows with the page.
    const word = page.locator(".word").first();
    expect(await word.count()).toBe(1);

    // Drag to pan.
    const box = await pane.boundingBox();
    if (!box) throw new Error("no preview pane");
    const scrolled = () => pane.evaluate((el) => [el.scrollLeft, el.scrollTop]);
    const start = await scrolled();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - 120, box.y + box.height / 2 - 80, { steps: 8 });
    await page.mouse.up();
    const end = await scrolled();
    expect(end[0] ?? 0).toBeGreaterThan(start[0] ?? 0);
    await shot("review-zoomed");

    // Click-to-fill: the number as printed on the page, into the focused Invoice number field.
    await zoom.getByRole("button", { name: "Fit" }).click();
    const field = page.getByLabel("Invoice number");
    await field.fill("");
    await field.focus();
    const printed = page.locator(`.word[data-word="${stage.docs.pdfTruth.invoiceNumber}"]`).first();
    await printed.click();
    expect(await field.inputValue()).toBe(stage.docs.pdfTruth.invoiceNumber);
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute("name")))
      .toBe("invoiceNumber");
  });
});
