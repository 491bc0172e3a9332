import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { parseCompactDate, parseDate } from "../src/fields/dates";

/**
 * A receipt dataset laid out like SROIE: img/NAME.jpg with key/NAME.json holding
 * { company, date, address, total } exactly as printed on the receipt.
 */
export interface Sample {
  name: string;
  imagePath: string;
  key: Key | null;
}

export interface Key {
  company?: string;
  date?: string;
  total?: string;
}

export interface SroiePrediction {
  company: string | null;
  date: string | null;
  total: string | null;
}

export function listSamples(dir: string): Sample[] {
  const imageDir = join(dir, "img");
  if (!existsSync(imageDir))
    throw new Error(`${imageDir} does not exist: expected <dir>/img/*.jpg`);
  return readdirSync(imageDir)
    .filter((file) => /\.(?:jpe?g|png)$/i.test(file))
    .sort()
    .map((file) => {
      const name = basename(file, extname(file));
      const keyPath = join(dir, "key", `${name}.json`);
      const key = existsSync(keyPath) ? (JSON.parse(readFileSync(keyPath, "utf8")) as Key) : null;
      return { name, imagePath: join(imageDir, file), key };
    });
}

/** Upper case, letters and digits only: "Mr. D.I.Y. (M) Sdn. Bhd." = "MR DIY (M) SDN BHD". */
export function normaliseCompany(value: string): string {
  return value.toUpperCase().replace(/[^\p{L}\p{N}]+/gu, "");
}

/** The keys print dates as the receipt does, always day first ("25/12/2018", "30 DEC 17"). */
export function keyDate(value: string): string | null {
  const trimmed = value.trim();
  return parseDate(trimmed, "dmy") ?? parseCompactDate(trimmed);
}

/** "RM 64.70", "$8.20" → 64.7, 8.2. */
export function keyTotal(value: string): number | null {
  const digits = value.replace(/[^\d.]/g, "");
  return digits ? Number(digits) : null;
}
