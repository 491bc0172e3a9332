/**
 * The value types of EN 16931 as they appear in CII and UBL, normalised for the extraction
 * contract. These read element text (already parsed XML), never markup.
 */

const decimalPattern = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/**
 * An xs:decimal as a decimal string with at least `minFraction` decimals and no trailing zeros
 * beyond them: ("220.00", 2) → "220.00", ("67.2269", 2) → "67.2269", ("1.0000", 0) → "1".
 * Null for anything that is not a decimal (an empty element, "1,5", "12 EUR").
 */
export function decimal(raw: string | null, minFraction: number): string | null {
  if (raw === null) return null;
  const match = decimalPattern.exec(raw.trim());
  if (!match) return null;
  const [, sign = "", digits = "", fraction = ""] = match;
  if (digits === "" && fraction === "") return null;
  const integer = digits.replace(/^0+(?=\d)/, "") || "0";
  let decimals = fraction.replace(/0+$/, "");
  if (decimals.length < minFraction) decimals = decimals.padEnd(minFraction, "0");
  const body = decimals === "" ? integer : `${integer}.${decimals}`;
  return sign === "-" && !isZero(body) ? `-${body}` : body;
}

/** Money: at least two decimals. */
export function money(raw: string | null): string | null {
  return decimal(raw, 2);
}

/** Quantities, rates and prices: as many decimals as they need. */
export function quantity(raw: string | null): string | null {
  return decimal(raw, 0);
}

export function negate(value: string): string {
  if (value.startsWith("-")) return value.slice(1);
  return isZero(value) ? value : `-${value}`;
}

export function isNegative(value: string | null): boolean {
  return value?.startsWith("-") ?? false;
}

function isZero(body: string): boolean {
  for (const character of body) if (character !== "0" && character !== ".") return false;
  return true;
}

/** xs:date ("2018-03-05", optionally with a time zone) → ISO date, if it is a real day. */
export function isoDate(raw: string | null): string | null {
  if (raw === null) return null;
  const value = raw.trim().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  return realDay(Number(value.slice(0, 4)), Number(value.slice(5, 7)), Number(value.slice(8, 10)));
}

/**
 * A CII DateTimeString by its format (UNTDID 2379): 102 is CCYYMMDD, the only day format
 * EN 16931 allows. Without a format attribute a value in 102 or ISO form is still accepted.
 */
export function ciiDate(raw: string | null, format: string | null): string | null {
  if (raw === null) return null;
  const value = raw.trim();
  if ((format === "102" || format === null) && /^\d{8}$/.test(value)) {
    return realDay(Number(value.slice(0, 4)), Number(value.slice(4, 6)), Number(value.slice(6, 8)));
  }
  return format === null || format === "102" ? isoDate(value) : null;
}

function realDay(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1) return null;
  if (date.getUTCDate() !== day) return null;
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** ISO 4217 code, upper case, or null. */
export function currencyCode(raw: string | null): string | null {
  const value = raw?.trim().toUpperCase() ?? "";
  return /^[A-Z]{3}$/.test(value) ? value : null;
}

/**
 * UNTDID 1001 codes that EN 16931 treats as credit notes (the codes UBL's CreditNote takes):
 * 381 credit note, 396 factored credit note, 261 self-billed, 262 consolidated, and others.
 */
const creditNoteCodes = new Set([
  "81",
  "83",
  "261",
  "262",
  "296",
  "308",
  "381",
  "396",
  "420",
  "458",
  "532",
]);

export function isCreditNoteCode(code: string | null): boolean {
  return code !== null && creditNoteCodes.has(code.trim());
}
