import { z } from "zod";

/*
 * Money stays a decimal string from the client to the database and back. Arithmetic checks run
 * on BigInt ten-thousandths, so no amount ever passes through a float.
 */

export const moneyString = z
  .string()
  .trim()
  .regex(/^-?\d{1,16}(\.\d{1,2})?$/, "an amount like 1234.50 (at most 2 decimals)");

export const quantityString = z
  .string()
  .trim()
  .regex(/^-?\d{1,14}(\.\d{1,4})?$/, "a number like 2 or 1.5 (at most 4 decimals)");

const scale = 10_000n;

export function toUnits(value: string): bigint {
  const negative = value.startsWith("-");
  const [whole = "0", fraction = ""] = value.replace(/^-/, "").split(".");
  const units = BigInt(whole) * scale + BigInt(fraction.padEnd(4, "0").slice(0, 4));
  return negative ? -units : units;
}

export function fromUnits(units: bigint): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const whole = abs / scale;
  const cents = (abs % scale) / 100n;
  return `${negative ? "-" : ""}${whole}.${cents.toString().padStart(2, "0")}`;
}
