import type { EInvoiceSyntax } from "./model";

/**
 * A readable name for the specification identifier (BT-24), for the review screen. The
 * identifiers differ by version and generator ("urn:factur-x.eu:1p0:minimum",
 * "urn:zugferd.de:2p0:basicwl", "urn:cen.eu:en16931:2017#compliant#urn:xoev-de:kosit:standard:xrechnung_2.1",
 * "urn:ferd:CrossIndustryDocument:invoice:1p0:comfort"), so this looks for the telling part.
 */
export function profileName(syntax: EInvoiceSyntax, specification: string | null): string {
  const id = specification?.toLowerCase() ?? "";
  if (syntax === "zugferd-1") {
    const level = ["extended", "comfort", "basic"].find((name) => id.endsWith(name));
    return level ? `ZUGFeRD 1.0 ${level.toUpperCase()}` : "ZUGFeRD 1.0";
  }
  const xrechnung = id.indexOf("xrechnung");
  if (xrechnung >= 0) {
    const version = id.slice(xrechnung + "xrechnung".length).replace(/^_/, "");
    return version ? `XRechnung ${version}` : "XRechnung";
  }
  if (id.includes("peppol.eu:2017:poacc:billing:3.0")) return "Peppol BIS Billing 3.0";
  const family = syntax === "cii" ? "Factur-X / ZUGFeRD" : "UBL";
  if (id.includes("minimum")) return `${family} MINIMUM`;
  if (id.includes("basicwl")) return `${family} BASIC WL`;
  if (id.includes("extended")) return `${family} EXTENDED`;
  if (id.includes("basic")) return `${family} BASIC`;
  if (id.startsWith("urn:cen.eu:en16931:2017")) return `${family} EN 16931`;
  return specification ? `${family} (${specification.slice(0, 100)})` : family;
}
