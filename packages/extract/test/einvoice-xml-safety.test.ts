import { describe, expect, it } from "vitest";
import { readEInvoiceXml } from "../src/einvoice/read";
import { parseXml } from "../src/einvoice/xml/parse";
import { ExtractError, type ExtractErrorCode } from "../src/errors";
import { createExtractor } from "../src/extractor";
import { generateXml } from "./einvoice-fixtures";

const utf8 = (text: string) => new TextEncoder().encode(text);

function refusal(run: () => unknown): ExtractError {
  try {
    run();
  } catch (error) {
    if (error instanceof ExtractError) return error;
    throw error;
  }
  throw new Error("expected an ExtractError, nothing was thrown");
}

function expectRefused(xml: Uint8Array | string, code: ExtractErrorCode, sentence: RegExp): void {
  const error = refusal(() => readEInvoiceXml(typeof xml === "string" ? utf8(xml) : xml));
  expect(error.code).toBe(code);
  expect(error.message).toMatch(sentence);
  // A sentence for the review screen: starts with a capital, ends with a full stop.
  expect(error.message).toMatch(/^[A-Z].*\.$/s);
}

describe("hostile XML is refused before anything is expanded or fetched", () => {
  it("billion laughs (internal entity expansion)", () => {
    const lol = `<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100">&lol9;</rsm:CrossIndustryInvoice>`;
    expectRefused(lol, "unsafe_xml", /DOCTYPE/);
  });

  it("XXE: an external entity pointing at a local file", () => {
    const xxe = `<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>&secret;</ID></Invoice>`;
    expectRefused(xxe, "unsafe_xml", /DOCTYPE/);
  });

  it("an external DTD and a parameter entity", () => {
    expectRefused(
      `<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://127.0.0.1:9/evil.dtd"><r/>`,
      "unsafe_xml",
      /DOCTYPE/,
    );
    expectRefused(
      `<!DOCTYPE r [<!ENTITY % p SYSTEM "file:///etc/hostname"> %p;]><r/>`,
      "unsafe_xml",
      /DOCTYPE/,
    );
  });

  it("an entity reference without any declaration", () => {
    expectRefused("<r>&undeclared;</r>", "unreadable_xml", /not well-formed/);
  });

  it("deep nesting stops at the depth cap, long before the stack would", () => {
    const depth = 100_000;
    const xml = `${"<a>".repeat(depth)}${"</a>".repeat(depth)}`;
    expectRefused(xml, "xml_too_large", /more than 64 deep/);
  });

  it("more elements than the cap", () => {
    const xml = utf8(`<r>${"<a/>".repeat(50)}</r>`);
    const error = refusal(() =>
      parseXml(xml, { maxBytes: 1_000_000, maxDepth: 10, maxElements: 20 }),
    );
    expect(error.code).toBe("xml_too_large");
    expect(error.message).toMatch(/more than 20 elements/);
  });

  it("an oversized document is refused by its size, before parsing", () => {
    const big = new Uint8Array(5 * 1024 * 1024 + 1).fill(0x20);
    big.set(utf8("<r>"), 0);
    expectRefused(big, "xml_too_large", /5\.0 MB/);
  });
});

describe("malformed XML is refused with a sentence", () => {
  it.each([
    ["mismatched tags", "<r><a></b></r>"],
    ["an unclosed root", "<r><a>"],
    ["text before the root", "hello <r/>"],
    ["two root elements", "<r/><s/>"],
    ["an unbound namespace prefix", "<x:r/>"],
    ["a bare ampersand", "<r>a & b</r>"],
    ["not XML at all", "%PDF-1.7 not xml"],
  ])("%s", (_, xml) => {
    expectRefused(xml, "unreadable_xml", /not well-formed/);
  });

  it("nothing at all", () => {
    expectRefused("", "unreadable_xml", /no root element/);
  });

  it("bytes that are not valid in the document's encoding", () => {
    const bytes = new Uint8Array([...utf8("<r>"), 0xff, 0xfe, 0xc3, ...utf8("</r>")]);
    expectRefused(bytes, "unreadable_xml", /not valid UTF-8/);
  });

  it("an encoding nobody can read", () => {
    expectRefused(`<?xml version="1.0" encoding="x-klingon"?><r/>`, "unreadable_xml", /encoding/);
  });
});

describe("XML that is well-formed but not an e-invoice is refused, naming what it is", () => {
  it.each([
    [
      "an unrelated document",
      `<?xml version="1.0"?><rss version="2.0"><channel/></rss>`,
      /<rss> without a namespace/,
    ],
    [
      "an <Invoice> in an ERP's own namespace",
      `<Invoice xmlns="urn:example:erp"><ID>1</ID></Invoice>`,
      /<Invoice> in namespace urn:example:erp/,
    ],
    [
      "UBL's Order, not an invoice",
      `<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>`,
      /<Order> in namespace/,
    ],
  ])("%s", (_, xml, sentence) => {
    expectRefused(xml, "not_an_e_invoice", sentence);
  });

  it("the extractor refuses it the same way for an application/xml upload", async () => {
    const extractor = createExtractor({ poolSize: 1 });
    try {
      await expect(
        extractor.extract(utf8("<note>hello</note>"), "application/xml"),
      ).rejects.toMatchObject({ code: "not_an_e_invoice" });
    } finally {
      await extractor.close();
    }
  });
});

describe("encodings a sender may use are read", () => {
  it("ISO-8859-1 as declared, and UTF-16 with a byte-order mark", async () => {
    const xml = new TextDecoder().decode(await generateXml("UBL"));
    const named = xml
      .replace('encoding="utf-8"', 'encoding="ISO-8859-1"')
      .replace("Acme Werkzeuge GmbH", "Müller Söhne GmbH");
    const latin1 = Uint8Array.from(named, (character) => character.charCodeAt(0));
    expect(readEInvoiceXml(latin1).fields.supplierName?.value).toBe("Müller Söhne GmbH");

    const utf16 = new Uint8Array(2 + named.length * 2);
    utf16.set([0xff, 0xfe]);
    for (let i = 0; i < named.length; i += 1) {
      utf16[2 + i * 2] = named.charCodeAt(i) & 0xff;
      utf16[3 + i * 2] = named.charCodeAt(i) >> 8;
    }
    expect(readEInvoiceXml(utf16).fields.supplierName?.value).toBe("Müller Söhne GmbH");
  });
});
