/*
 * Money stays a decimal string from the form to the database and back. Arithmetic runs on BigInt
 * ten-thousandths (quantities and unit prices have up to 4 decimals, amounts 2), so no amount
 * ever passes through a float.
 */

/** An amount: at most 16 whole digits and 2 decimals, optionally negative (credit notes). */
export const moneyPattern = /^-?\d{1,16}(\.\d{1,2})?$/;
/** A quantity or unit price: at most 14 whole digits and 4 decimals. */
export const quantityPattern = /^-?\d{1,14}(\.\d{1,4})?$/;

const scale = 10_000n;
const centsPerUnit = 100n;

/** "12.5" → 125000n (ten-thousandths). The caller has checked the string against a pattern. */
export function toUnits(value: string): bigint {
  const trimmed = value.trim();
  const negative = trimmed.startsWith("-");
  const [whole = "0", fraction = ""] = trimmed.replace(/^-/, "").split(".");
  const units = BigInt(whole) * scale + BigInt(fraction.padEnd(4, "0").slice(0, 4));
  return negative ? -units : units;
}

/** Ten-thousandths → "12.50": two decimals, any further digits cut (amounts are whole cents). */
export function fromUnits(units: bigint): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const whole = abs / scale;
  const cents = (abs % scale) / centsPerUnit;
  return `${negative ? "-" : ""}${whole}.${cents.toString().padStart(2, "0")}`;
}

/** quantity × unit price in ten-thousandths, rounded to whole cents. */
export function lineProduct(quantity: string, unitPrice: string): bigint {
  const exact = toUnits(quantity) * toUnits(unitPrice); // scale² = 10⁸
  const negative = exact < 0n;
  const abs = negative ? -exact : exact;
  const perCent = scale * centsPerUnit; // 10⁸ / 10² = 10⁶ per cent
  const cents = (abs + perCent / 2n) / perCent;
  const units = cents * centsPerUnit;
  return negative ? -units : units;
}

/** The string is an amount (2 decimals at most). */
export const isMoney = (value: string): boolean => moneyPattern.test(value.trim());
/** The string is a quantity or unit price (4 decimals at most). */
export const isQuantity = (value: string): boolean => quantityPattern.test(value.trim());

/** A real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}
