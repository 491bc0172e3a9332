import { afterEach, describe, expect, it, vi } from "vitest";
import { ExtractError } from "../src/errors";
import { openPdfReader } from "../src/pdf/read-pdf";
import { encryptedPdf, invoiceLines, textPdf } from "./engine-fixtures";

function readError(bytes: Uint8Array): ExtractError {
  try {
    openPdfReader(bytes).close();
  } catch (error) {
    if (error instanceof ExtractError) return error;
    throw error;
  }
  throw new Error("the PDF was read");
}

describe("PDFs that cannot be read", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("refuses an empty file", () => {
    const error = readError(new Uint8Array(0));
    expect(error.code).toBe("unreadable_pdf");
    expect(error.message).toBe("The PDF is empty (0 bytes).");
  });

  it("refuses bytes that are not a PDF, with mupdf's reason, and writes nothing to stderr", () => {
    const stderr = vi.spyOn(process.stderr, "write");
    const consoleError = vi.spyOn(console, "error");
    const error = readError(new TextEncoder().encode("%PDF-1.7\nthis is not a PDF at all\n"));
    expect(error.code).toBe("unreadable_pdf");
    expect(error.message).toMatch(/^The file is not a readable PDF \(.+\)\.$/);
    expect(stderr).not.toHaveBeenCalled();
    expect(consoleError).not.toHaveBeenCalled();
  });

  it("refuses a password-protected PDF", async () => {
    const error = readError(encryptedPdf(await textPdf([invoiceLines])));
    expect(error.code).toBe("encrypted_pdf");
    expect(error.message).toMatch(/password-protected/);
  });

  it("repairs a truncated PDF when mupdf can, and otherwise refuses it", async () => {
    const pdf = await textPdf([invoiceLines, invoiceLines]);
    for (const keep of [0.9, 0.5, 0.1]) {
      const truncated = pdf.subarray(0, Math.floor(pdf.byteLength * keep));
      try {
        const reader = openPdfReader(truncated);
        for (let page = 1; page <= reader.pageCount; page += 1) await reader.readPage(page);
        reader.close();
      } catch (error) {
        expect(error).toBeInstanceOf(ExtractError);
        expect((error as ExtractError).code).toBe("unreadable_pdf");
      }
    }
  });
});
