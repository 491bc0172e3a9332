import type { LayoutPage } from "./types";

/*
 * IBANs printed on a document: one of the ways a supplier is recognised (with its tax id and
 * name). Only numbers that pass the ISO 13616 mod-97 check count.
 */

const candidate = /\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,3})?\b/g;

export function isValidIban(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const moved = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of moved) {
    const digits = /\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
    for (const d of digits) remainder = (remainder * 10 + Number(d)) % 97;
  }
  return remainder === 1;
}

/** The valid IBANs on the pages, without spaces, in order of appearance, at most `limit`. */
export function findIbans(pages: readonly LayoutPage[], limit = 5): string[] {
  const found: string[] = [];
  for (const page of pages) {
    for (const line of page.lines) {
      const text = line.words
        .map((w) => w.text)
        .join(" ")
        .toUpperCase();
      for (const match of text.matchAll(candidate)) {
        const iban = match[0].replace(/\s+/g, "");
        if (isValidIban(iban) && !found.includes(iban)) found.push(iban);
        if (found.length >= limit) return found;
      }
    }
  }
  return found;
}
