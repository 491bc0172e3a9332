import { moneyPattern, quantityPattern } from "@remit/rules";
import { z } from "zod";

/*
 * Money stays a decimal string from the client to the database and back. The patterns and the
 * exact arithmetic on them (BigInt ten-thousandths, never a float) live in @remit/rules, which
 * the web app's review form shares.
 */

export const moneyString = z
  .string()
  .trim()
  .regex(moneyPattern, "an amount like 1234.50 (at most 2 decimals)");

export const quantityString = z
  .string()
  .trim()
  .regex(quantityPattern, "a number like 2 or 1.5 (at most 4 decimals)");
