import {
  embeddedFile,
  nameSpellings,
  pngChunk,
  pngWith,
  rawPdf,
  withJpegComment,
  zipWith,
} from "@remit/testkit";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { inspect, UnprocessableFileError } from "../src/ingest/inspect";

/*
 * The checks an upload passes after its type is known, on files written byte by byte
 * (@remit/testkit's hostile files): what a PDF reader would run or open by itself is refused
 * however its names are spelt and wherever the object sits; images are stored only as clean
 * re-encodings; malformed files are a sentence, never a crash.
 */

async function refusal(bytes: Buffer, type: "application/pdf" | "image/png" | "image/jpeg") {
  try {
    await inspect(bytes, type);
    return "accepted";
  } catch (error) {
    if (error instanceof UnprocessableFileError) return error.message;
    throw error;
  }
}

const pdfRefusal = (bytes: Buffer) => refusal(bytes, "application/pdf");

describe("active content in a PDF", () => {
  it("accepts a plain invoice", async () => {
    expect(await pdfRefusal(rawPdf())).toBe("accepted");
  });

  describe.each(nameSpellings("JavaScript"))("/JavaScript spelt /%s", (spelling) => {
    it("as an open action's type, in the catalog", async () => {
      const bytes = rawPdf({ catalog: `/OpenAction << /S /${spelling} /JS (app.alert(1)) >>` });
      expect(await pdfRefusal(bytes)).toMatch(/JavaScript/);
    });

    it("as a key of the document's name tree", async () => {
      const bytes = rawPdf({ catalog: `/Names << /${spelling} 5 0 R >>`, objects: ["<< >>"] });
      expect(await pdfRefusal(bytes)).toMatch(/JavaScript/);
    });

    it("inside a compressed object stream", async () => {
      const bytes = rawPdf({
        page: "/Annots [6 0 R]",
        compressed: [`<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /${spelling} >> >>`],
      });
      expect(await pdfRefusal(bytes)).toMatch(/JavaScript/);
    });
  });

  it.each(nameSpellings("JS"))("refuses the /JS key spelt /%s", async (spelling) => {
    const bytes = rawPdf({
      catalog: `/OpenAction << /S /GoTo /${spelling} (x) /D [3 0 R /Fit] >>`,
    });
    expect(await pdfRefusal(bytes)).toMatch(/JavaScript/);
  });

  it.each([
    ["Launch", /starts a program/],
    ["SubmitForm", /submits data/],
    ["ImportData", /imports data/],
    ["GoToR", /opens another file/],
    ["GoToE", /opens an embedded file/],
    ["Rendition", /media/],
    ["Sound", /media/],
    ["Movie", /media/],
  ])("refuses a /%s action on a link, in every spelling", async (action, message) => {
    for (const spelling of nameSpellings(action)) {
      const link = `<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /${spelling} /F (x) >> >>`;
      expect(await pdfRefusal(rawPdf({ page: "/Annots [5 0 R]", objects: [link] }))).toMatch(
        message,
      );
      expect(await pdfRefusal(rawPdf({ page: "/Annots [6 0 R]", compressed: [link] }))).toMatch(
        message,
      );
    }
  });

  it("refuses additional actions (/AA), on the page or on the document", async () => {
    for (const spelling of nameSpellings("AA")) {
      const onPage = rawPdf({ page: `/${spelling} << /O << /S /GoTo /D [3 0 R /Fit] >> >>` });
      expect(await pdfRefusal(onPage)).toMatch(/run by themselves/);
      const hidden = rawPdf({
        catalog: "/Extra 6 0 R",
        compressed: [`<< /${spelling} << /WC << /S /URI /URI (http://x.test) >> >> >>`],
      });
      expect(await pdfRefusal(hidden)).toMatch(/run by themselves/);
    }
  });

  it("refuses a URI opened with the document, but keeps a link a person may click", async () => {
    const onOpen = rawPdf({ catalog: "/OpenAction << /S /URI /URI (http://x.test/) >>" });
    expect(await pdfRefusal(onOpen)).toMatch(/when it is opened/);
    const escaped = rawPdf({ catalog: "/Open#41ction << /S /#55RI /URI (http://x.test/) >>" });
    expect(await pdfRefusal(escaped)).toMatch(/when it is opened/);
    const link =
      "<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /URI /URI (http://x.test/) >> >>";
    expect(await pdfRefusal(rawPdf({ page: "/Annots [5 0 R]", objects: [link] }))).toBe("accepted");
  });

  it("keeps an open action that only shows a page", async () => {
    expect(await pdfRefusal(rawPdf({ catalog: "/OpenAction [3 0 R /Fit]" }))).toBe("accepted");
    expect(
      await pdfRefusal(rawPdf({ catalog: "/OpenAction << /S /GoTo /D [3 0 R /Fit] >>" })),
    ).toBe("accepted");
  });

  it("refuses rich media and XFA forms", async () => {
    const media = "<< /Type /Annot /Subtype /RichMedia /Rect [0 0 9 9] >>";
    expect(await pdfRefusal(rawPdf({ page: "/Annots [5 0 R]", objects: [media] }))).toMatch(
      /rich media/,
    );
    for (const spelling of nameSpellings("XFA")) {
      const form = rawPdf({
        catalog: `/AcroForm << /Fields [] /${spelling} 5 0 R >>`,
        objects: ["<< >>"],
      });
      expect(await pdfRefusal(form)).toMatch(/XFA/);
    }
  });

  it("keeps an embedded XML e-invoice, refuses any other attachment", async () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?><rsm:CrossIndustryInvoice xmlns:rsm="urn:x"/>';
    const einvoice = embeddedFile(5, "factur-x.xml", xml);
    expect(await pdfRefusal(rawPdf(einvoice))).toBe("accepted");

    for (const [name, content] of [
      ["payload.exe", "MZ\x90\x00 this program cannot be run in DOS mode"],
      ["page.html", "<!DOCTYPE html><html><script>alert(1)</script></html>"],
      ["drawing.xml", '<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>'],
      ["notes.txt", "just text"],
    ] as const) {
      expect(await pdfRefusal(rawPdf(embeddedFile(5, name, content))), name).toMatch(
        /attached file/,
      );
    }
    // An attachment reached only through an annotation, never named in the catalog.
    const annotation = rawPdf({
      page: "/Annots [5 0 R]",
      objects: [
        "<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 9 9] /FS << /Type /Filespec /F (a.bin) /EF << /F 6 0 R >> >> >>",
        "<< /Length 4 >>\nstream\nMZ\x90\x00\nendstream",
      ],
    });
    expect(await pdfRefusal(annotation)).toMatch(/attached file/);
  });

  it("refuses data after %%EOF, a ZIP inside, and a document without /Root", async () => {
    expect(
      await pdfRefusal(rawPdf({ trailing: "<html><script>alert(1)</script></html>" })),
    ).toMatch(/data after its end/);
    expect(await pdfRefusal(rawPdf({ trailing: "\r\n\n  \u0000" }))).toBe("accepted");
    const withZip = Buffer.concat([
      rawPdf().subarray(0, 20),
      zipWith("a.txt", "x"),
      rawPdf().subarray(20),
    ]);
    expect(await pdfRefusal(withZip)).toMatch(/ZIP|could not be read/);
    expect(await pdfRefusal(rawPdf({ noRoot: true }))).toMatch(/could not be read|page tree/);
  });

  it("refuses a structure nested past what is checked, rather than skipping it", async () => {
    const deep = `${"[".repeat(80)}/JavaScript${"]".repeat(80)}`;
    expect(await pdfRefusal(rawPdf({ catalog: `/Deep ${deep}` }))).toMatch(
      /nested too deeply|JavaScript/,
    );
  });
});

describe("images are stored as clean re-encodings", () => {
  const pdfInside = rawPdf();

  it("refuses a PNG carrying a PDF, a ZIP or a web page in a chunk", async () => {
    for (const [what, payload] of [
      ["PDF", pdfInside],
      ["ZIP", zipWith("a.html", "<p>hi</p>")],
      ["web page", Buffer.from("<html><body><script>alert(1)</script></body></html>")],
    ] as const) {
      const text = pngChunk("tEXt", Buffer.concat([Buffer.from("Comment\0"), payload]));
      expect(await refusal(pngWith(20, 20, [text]), "image/png"), what).toMatch(/polyglot/);
    }
  });

  it("refuses a JPEG carrying a PDF in a comment, or after its end", async () => {
    const jpeg = await sharp({ create: { width: 16, height: 16, channels: 3, background: "#888" } })
      .jpeg()
      .toBuffer();
    expect(await refusal(withJpegComment(jpeg, pdfInside), "image/jpeg")).toMatch(/a PDF/);
    expect(await refusal(Buffer.concat([jpeg, pdfInside]), "image/jpeg")).toMatch(/a PDF/);
  });

  it("drops whatever else an image carried: comments, text chunks, trailing bytes", async () => {
    const note = pngChunk("tEXt", Buffer.from("Comment\0hello from the uploader"));
    const padded = Buffer.concat([pngWith(20, 10, [note]), Buffer.from("trailing bytes")]);
    const result = await inspect(padded, "image/png");
    const clean = result.replacement ?? Buffer.alloc(0);
    expect(clean.includes("hello from the uploader")).toBe(false);
    expect(clean.includes("trailing bytes")).toBe(false);
    expect(await sharp(clean).metadata()).toMatchObject({ format: "png", width: 20, height: 10 });
  });

  it("refuses a truncated image with a sentence", async () => {
    const jpeg = await sharp({ create: { width: 64, height: 64, channels: 3, background: "#123" } })
      .jpeg()
      .toBuffer();
    expect(await refusal(jpeg.subarray(0, jpeg.length - 40), "image/jpeg")).toMatch(
      /could not be read/,
    );
  });
});
