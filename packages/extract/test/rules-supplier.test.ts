/**
 * The supplier failure classes, on invented text: a bill-to/ship-to/ATTN block taken for the
 * issuer, a tagline or label taken for the name, a name under a seller heading, in the footer
 * or on a legal line, legal forms as evidence and the web domain as a cross-check.
 */
import { describe, expect, it } from "vitest";
import { buildContext } from "../src/fields/context";
import { findSupplierName } from "../src/fields/supplier";
import { pageFromText } from "../src/testing";

/** The lines as the top of a page: an invoice's body follows, so the page is of a real height. */
const body = Array.from({ length: 24 }, (_, i) => `Line item ${i + 1}      1      9.00`);
const supplierOf = (lines: string[], withBody = true) =>
  findSupplierName(buildContext([pageFromText(withBody ? [...lines, ...body] : lines)]))?.value ??
  null;

describe("the issuer, not the customer", () => {
  it("skips a bill-to block printed above the issuer", () => {
    const lines = [
      "Bill To:",
      "Fjord Studios LLC",
      "12 Pier Road",
      "",
      "",
      "Kestrel Engineering Ltd",
      "INVOICE",
    ];
    expect(supplierOf(lines)).toBe("Kestrel Engineering Ltd");
  });

  it("skips ship-to and attention blocks", () => {
    expect(
      supplierOf(["Ship to:", "Brightside Clinic GmbH", "", "", "", "Harbor Print Works AG"]),
    ).toBe("Harbor Print Works AG");
    expect(
      supplierOf(["ATTN:", "Acme Retail Inc.", "", "", "", "Oakridge Hardware LLC", "Invoice"]),
    ).toBe("Oakridge Hardware LLC");
  });

  it("reads the name under a seller heading in any of the languages", () => {
    const seller = (heading: string) =>
      supplierOf([
        "Invoice rendering by some software, version 1.2",
        heading,
        "Number:  88120",
        "Silverline Trading S.A.S.",
        "4 rue des Lilas",
        "Client:",
        "Maison Dupont SARL",
      ]);
    expect(seller("Seller")).toBe("Silverline Trading S.A.S.");
    expect(seller("Verkäufer:")).toBe("Silverline Trading S.A.S.");
    expect(seller("Vendeur")).toBe("Silverline Trading S.A.S.");
    expect(seller("Leverancier:")).toBe("Silverline Trading S.A.S.");
    expect(seller("Proveedor:")).toBe("Silverline Trading S.A.S.");
    expect(seller("Fornitore")).toBe("Silverline Trading S.A.S.");
  });

  it("reads a 'Name:' line in a seller block and a name wrapped over two rows", () => {
    expect(supplierOf(["Seller", "Name:  Evergreen Supplies B.V.", "Address:  Kade 4"])).toBe(
      "Evergreen Supplies B.V.",
    );
    expect(
      supplierOf([
        "Seller",
        "No.:  1",
        "Northwind Mutual",
        "Name:  Insurance Society a.G.",
        "Street 2",
      ]),
    ).toBe("Northwind Mutual Insurance Society a.G.");
  });

  it("takes a name beginning with a heading word for a name ('Lieferant GmbH')", () => {
    expect(supplierOf(["Lieferant Meier GmbH", "Hauptweg 3", "RECHNUNG"])).toBe(
      "Lieferant Meier GmbH",
    );
  });
});

describe("names over two lines", () => {
  it("joins the line above a legal name when the two are set as one block", () => {
    const page = pageFromText(["Northwind Mutual", "Insurance Society a.G.", "", "", ...body]);
    // As a text layer sets them: each line's box is its font's height, so the two touch.
    const [first, second] = page.lines;
    if (!first || !second) throw new Error("lines missing");
    const shift = second.box.y - (first.box.y + first.box.height);
    for (const box of [second.box, ...second.words.map((word) => word.box)]) box.y -= shift;
    expect(findSupplierName(buildContext([page]))?.value).toBe(
      "Northwind Mutual Insurance Society a.G.",
    );
    // Set apart like two lines of a receipt, they stay apart.
    expect(supplierOf(["Northwind Mutual", "Insurance Society a.G."])).toBe(
      "Insurance Society a.G.",
    );
  });

  it("does not join a heading line set apart from the name", () => {
    expect(supplierOf(["Welcome to our store", "", "", "Kedai Maju Sdn Bhd"])).toBe(
      "Kedai Maju Sdn Bhd",
    );
  });
});

describe("the right column", () => {
  it("reads the issuer printed beside a bill-to block", () => {
    expect(
      supplierOf([
        "Bill To:                                   Dunmore Ceramics Corp.",
        "Quayside Foods LLC                         61 Market Row",
        "94 High Street",
        "",
        "                                           INVOICE",
      ]),
    ).toBe("Dunmore Ceramics Corp.");
  });

  it("reads a large issuer's name beside the bill-to heading, far right", () => {
    // The name is set twice as tall as the body, level with "Bill To:", so the heading's row
    // is tall; the label's own height decides which column belongs to the customer.
    const page = pageFromText([
      "Bill To:",
      "Quayside Foods AG",
      "34 Dock Lane",
      "",
      "                                                              INVOICE",
      ...body,
    ]);
    const [heading] = page.lines;
    if (!heading) throw new Error("line missing");
    const nameBox = { x: 660, y: heading.box.y - 14, width: 360, height: 44 };
    const name = {
      text: "Pellham Joinery GmbH & Co. KG",
      confidence: 1,
      box: nameBox,
      words: "Pellham Joinery GmbH & Co. KG".split(" ").map((text, i) => ({
        text,
        confidence: 1,
        box: { ...nameBox, x: nameBox.x + i * 60, width: 50 },
      })),
    };
    const address = {
      text: "7 Market Row",
      confidence: 1,
      box: { x: 900, y: heading.box.y + 24, width: 110, height: 16 },
      words: "7 Market Row".split(" ").map((text, i) => ({
        text,
        confidence: 1,
        box: { x: 900 + i * 40, y: heading.box.y + 24, width: 30, height: 16 },
      })),
    };
    const withName = { ...page, lines: [heading, name, address, ...page.lines.slice(1)] };
    expect(findSupplierName(buildContext([withName]))?.value).toBe("Pellham Joinery GmbH & Co. KG");
  });

  it("does not let a tall title join the name's row to the address under it", () => {
    const page = pageFromText(["Aldrin Ceramics GmbH", "61 Mill Lane", ...body]);
    const [name, address] = page.lines;
    if (!name || !address) throw new Error("lines missing");
    // The title is as tall as both rows together and level with the name.
    const title = {
      text: "RECHNUNG",
      confidence: 1,
      box: { x: 900, y: name.box.y, width: 200, height: (address.box.y - name.box.y) * 2 },
      words: [],
    };
    title.words = [{ text: "RECHNUNG", confidence: 1, box: title.box }] as never;
    const withTitle = { ...page, lines: [name, title, ...page.lines.slice(1)] };
    expect(findSupplierName(buildContext([withTitle]))?.value).toBe("Aldrin Ceramics GmbH");
  });
});

describe("taglines, labels and boilerplate", () => {
  it("skips a slogan with a year and a software version", () => {
    expect(supplierOf(["Quality since 1982", "Rendering v2.3", "Juniper Textiles Limited"])).toBe(
      "Juniper Textiles Limited",
    );
  });

  it("skips a stylesheet header, a copyright and a section label", () => {
    const lines = [
      "Stylesheet for rendering XML invoices",
      "(c) Some Association 2021",
      "Payment terms",
      "Hotel details",
      "Meridian Logistics GmbH",
    ];
    expect(supplierOf(lines)).toBe("Meridian Logistics GmbH");
  });

  it("skips 'label : value' lines", () => {
    expect(supplierOf(["Profile : urn:example:1", "Granite Office Products Ltd"])).toBe(
      "Granite Office Products Ltd",
    );
  });

  it("cuts the address off a one-line letterhead", () => {
    expect(supplierOf(["Le Petit Four SARL - 12 rue Haute - 75001 Paris - France"])).toBe(
      "Le Petit Four SARL",
    );
  });
});

describe("names away from the top", () => {
  it("finds a legal name in the footer when the top has none", () => {
    const lines = [
      "INVOICE",
      "Invoice No: 4411",
      ...Array.from({ length: 30 }, (_, i) => `Item ${i}      1.00`),
      "Bluebird Consulting Pte Ltd · 1 Harbour Front · Singapore",
    ];
    expect(supplierOf(lines, false)).toBe("Bluebird Consulting Pte Ltd");
  });

  it("lets the web domain confirm a name without a legal form", () => {
    const lines = [
      "Thank you for shopping",
      "Fresh Corner",
      "Sunny Morning",
      "www.sunnymorning.com",
    ];
    expect(supplierOf(lines)).toBe("Sunny Morning");
  });
});

describe("the issuer's imprint", () => {
  /** A seller heading naming the plant that delivered; the footer is the issuer's imprint. */
  const invoice = (imprint: string[], seller = "Norrland Mill Works GmbH") => [
    "Lieferant",
    seller,
    "Industriepark 4",
    "",
    "Käufer",
    "Vesterby Bakery AG",
    "RECHNUNG",
    ...Array.from({ length: 30 }, (_, i) => `Position ${i + 1}      1      9,00`),
    ...imprint,
  ];

  /** The imprint's name with its VAT id, register and court, then a web or e-mail line. */
  const imprintWith = (contact: string) => [
    "Halvorsen Timber GmbH   USt-IdNr: DE999888777   HRB 12345",
    "Hafenweg 2   Amtsgericht Nordstadt",
    contact,
  ];

  it("takes the name the imprint prints with its VAT id when the domain spells it", () => {
    const page = invoice(imprintWith("www.halvorsen-timber.de"));
    expect(supplierOf(page, false)).toBe("Halvorsen Timber GmbH");
  });

  it("keeps the seller block's name when the domain spells it, not the imprint's", () => {
    const page = invoice(imprintWith("info@norrlandmill.de"));
    expect(supplierOf(page, false)).toBe("Norrland Mill Works GmbH");
  });

  it("needs all three: a legal form, a VAT id or register, and the domain", () => {
    const noMarker = ["Halvorsen Timber GmbH   Hafenweg 2", "www.halvorsen-timber.de"];
    expect(supplierOf(invoice(noMarker), false)).toBe("Norrland Mill Works GmbH");
    const noDomain = ["Halvorsen Timber GmbH   USt-IdNr: DE999888777   HRB 12345"];
    expect(supplierOf(invoice(noDomain), false)).toBe("Norrland Mill Works GmbH");
  });

  it("outranks a letterhead name the domain does not spell", () => {
    const lines = [
      "Northgate Joinery Services Ltd",
      "INVOICE",
      ...Array.from({ length: 30 }, (_, i) => `Item ${i}      1.00`),
      "Halvorsen Timber Ltd   VAT no: GB123456789   Company no 0456789",
      "www.halvorsentimber.co.uk",
    ];
    expect(supplierOf(lines, false)).toBe("Halvorsen Timber Ltd");
  });
});

describe("OCR slips in trade words", () => {
  it("repairs one wrong letter in a long trade word of the name", () => {
    expect(supplierOf(["KAMPUNG BARU ENTFRPRISE", "8 JALAN DUA", "RECEIPT"])).toBe(
      "KAMPUNG BARU ENTERPRISE",
    );
    expect(supplierOf(["PERNIAGAAR SRI MAWAR", "8 JALAN DUA", "RECEIPT"])).toBe(
      "PERNIAGAAN SRI MAWAR",
    );
  });

  it("leaves the name's own words and words two letters off alone", () => {
    expect(supplierOf(["Vantreading Ltd", "8 High Street", "INVOICE"])).toBe("Vantreading Ltd");
    expect(supplierOf(["Entreprise Morel SARL", "8 rue Haute", "FACTURE"])).toBe(
      "Entreprise Morel SARL",
    );
  });
});
