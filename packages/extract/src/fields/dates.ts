/**
 * Dates as printed → ISO "YYYY-MM-DD". Numeric dates are read in the document's order
 * ("dmy" for 25/12/2018 and 25.12.2018, "mdy" for 12/25/2018), which detectDateOrder decides
 * once from the whole document. Every result is a real calendar date.
 */
export type DateOrder = "dmy" | "mdy";

export interface DateMatch {
  value: string;
  start: number;
  end: number;
  /** Day and month could not be swapped (day > 12, a month name, or year first). */
  unambiguous: boolean;
}

/** Month names and abbreviations in English, German, French, Dutch, Spanish, Italian, Portuguese and Malay, without accents. */
const monthNames: Record<string, number> = {
  january: 1,
  januar: 1,
  janner: 1,
  janvier: 1,
  januari: 1,
  enero: 1,
  gennaio: 1,
  janeiro: 1,
  janv: 1,
  jan: 1,
  ene: 1,
  gen: 1,
  february: 2,
  februar: 2,
  fevrier: 2,
  februari: 2,
  febrero: 2,
  febbraio: 2,
  fevereiro: 2,
  fevr: 2,
  feb: 2,
  march: 3,
  marz: 3,
  maerz: 3,
  mars: 3,
  maart: 3,
  marzo: 3,
  marco: 3,
  mrt: 3,
  mar: 3,
  mac: 3,
  april: 4,
  avril: 4,
  abril: 4,
  aprile: 4,
  apr: 4,
  abr: 4,
  mai: 5,
  mei: 5,
  mayo: 5,
  maggio: 5,
  maio: 5,
  may: 5,
  mag: 5,
  juni: 6,
  juin: 6,
  junio: 6,
  giugno: 6,
  junho: 6,
  june: 6,
  jun: 6,
  giu: 6,
  juli: 7,
  juillet: 7,
  julio: 7,
  luglio: 7,
  julho: 7,
  julai: 7,
  july: 7,
  jul: 7,
  juil: 7,
  lug: 7,
  august: 8,
  aout: 8,
  augustus: 8,
  agosto: 8,
  ogos: 8,
  aug: 8,
  ago: 8,
  september: 9,
  septembre: 9,
  septiembre: 9,
  setiembre: 9,
  settembre: 9,
  setembro: 9,
  sep: 9,
  sept: 9,
  set: 9,
  oktober: 10,
  octobre: 10,
  octubre: 10,
  ottobre: 10,
  outubro: 10,
  october: 10,
  okt: 10,
  oct: 10,
  ott: 10,
  out: 10,
  november: 11,
  novembre: 11,
  noviembre: 11,
  novembro: 11,
  nov: 11,
  dezember: 12,
  decembre: 12,
  december: 12,
  diciembre: 12,
  dicembre: 12,
  dezembro: 12,
  disember: 12,
  dez: 12,
  dec: 12,
  dic: 12,
  dis: 12,
};
const monthWord = String.raw`([A-Za-zÀ-ÿ]{3,10})\.?`;
const year = String.raw`(\d{4}|\d{2})`;

const patterns: { regex: RegExp; read: (m: RegExpExecArray, order: DateOrder) => Parsed | null }[] =
  [
    {
      // 2018-12-25, 2018/12/25, 2018.12.25
      regex: /(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/g,
      read: (m) => ({ y: m[1], mo: m[2], d: m[3], unambiguous: true }),
    },
    {
      // 25/12/2018, 12/25/2018, 25.12.18, 25-12-2018
      regex: new RegExp(
        String.raw`(?<![\d/.-])(\d{1,2})\s?([-/.])\s?(\d{1,2})\s?\2\s?${year}(?!\d)`,
        "g",
      ),
      read: (m, order) => {
        const [a, b] = [Number(m[1]), Number(m[3])];
        const dayFirst = a > 12 ? true : b > 12 ? false : order === "dmy";
        return {
          y: m[4],
          mo: dayFirst ? m[3] : m[1],
          d: dayFirst ? m[1] : m[3],
          unambiguous: a > 12 || b > 12 || a === b,
        };
      },
    },
    {
      // OCR dropped one separator: "2107/2017", "21/072017" (day and month are two digits each).
      regex: /(?<![\d/.-])(\d{2})([/.-])?(\d{2})([/.-])?(\d{4})(?![\d/.-])/g,
      read: (m, order) => {
        if (Boolean(m[2]) === Boolean(m[4])) return null;
        const [a, b] = [Number(m[1]), Number(m[3])];
        const dayFirst = a > 12 ? true : b > 12 ? false : order === "dmy";
        return {
          y: m[5],
          mo: dayFirst ? m[3] : m[1],
          d: dayFirst ? m[1] : m[3],
          unambiguous: false,
        };
      },
    },
    {
      // 25 Dec 2018, 25-DEC-18, 25. Dezember 2018, 25DEC2018, 29 maart 2014, 3 de marzo de 2024
      regex: new RegExp(
        String.raw`(?<!\d)(\d{1,2})(?:st|nd|rd|th|er)?\.?[\s-]?(?:de\s)?${monthWord}(?:\sde)?[\s,-]*${year}(?!\d)`,
        "g",
      ),
      read: (m) => ({ y: m[3], mo: m[2], d: m[1], unambiguous: true }),
    },
    {
      // Dec 25, 2018; December 25 2018; August 3 , 2014
      regex: new RegExp(
        String.raw`(?<![A-Za-z])${monthWord}\s?(\d{1,2})(?:st|nd|rd|th)?(?:\s*,\s*|\s+)${year}(?!\d)`,
        "g",
      ),
      read: (m) => ({ y: m[3], mo: m[1], d: m[2], unambiguous: true }),
    },
  ];

interface Parsed {
  y: string | undefined;
  mo: string | undefined;
  d: string | undefined;
  unambiguous: boolean;
}

/** Every valid date in `text`, left to right; overlapping readings keep the earliest. */
export function findDates(text: string, order: DateOrder): DateMatch[] {
  const found: DateMatch[] = [];
  for (const { regex, read } of patterns) {
    for (const match of text.matchAll(regex)) {
      const parsed = read(match as RegExpExecArray, order);
      const value = parsed && (toIso(parsed) ?? toIso(withEightAsZero(parsed)));
      if (!value || !parsed) continue;
      const start = match.index ?? 0;
      const end = start + match[0].length;
      if (found.some((other) => other.start < end && start < other.end)) continue;
      found.push({ value, start, end, unambiguous: parsed.unambiguous });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/** The one date `text` consists of, or null. */
export function parseDate(text: string, order: DateOrder): string | null {
  const trimmed = text.trim();
  const [match] = findDates(trimmed, order);
  return match && match.start === 0 && match.end === trimmed.length ? match.value : null;
}

/** "25032018" or "20181225": only read where a label says a date follows. */
export function parseCompactDate(digits: string): string | null {
  if (!/^\d{8}$/.test(digits)) return null;
  const yearFirst = toIso({
    y: digits.slice(0, 4),
    mo: digits.slice(4, 6),
    d: digits.slice(6),
    unambiguous: true,
  });
  return (
    yearFirst ??
    toIso({ y: digits.slice(4), mo: digits.slice(2, 4), d: digits.slice(0, 2), unambiguous: true })
  );
}

/** Tesseract reads a thermal printer's 0 as 8: "17/83/2017" is only a date as 17/03/2017. */
function withEightAsZero(parsed: Parsed): Parsed {
  const fix = (part: string | undefined) =>
    part && /^\d{2}$/.test(part) ? part.replace(/^8/, "0") : part;
  return { ...parsed, mo: fix(parsed.mo), d: fix(parsed.d) };
}

function toIso(parsed: Parsed): string | null {
  const month = /^\d+$/.test(parsed.mo ?? "") ? Number(parsed.mo) : monthFromName(parsed.mo ?? "");
  const day = Number(parsed.d);
  let fullYear = Number(parsed.y);
  // Two-digit years are this century: invoices from the 1900s do not reach this system.
  if ((parsed.y ?? "").length === 2) fullYear += 2000;
  if (!month || !isRealDate(fullYear, month, day)) return null;
  return `${fullYear}-${pad(month)}-${pad(day)}`;
}

function monthFromName(name: string): number | null {
  const key = name
    .toLowerCase()
    .replace(/\.$/, "")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "");
  return monthNames[key] ?? monthNames[name.toLowerCase()] ?? null;
}

export function isRealDate(y: number, m: number, d: number): boolean {
  if (y < 1990 || y > 2099 || m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function pad(value: number): string {
  return String(value).padStart(2, "0");
}

/**
 * Day-first or month-first, from the document: a numeric date whose first part is over 12
 * settles it; dotted dates (25.12.2018) are day-first everywhere; US dollars and US-style
 * addresses lean month-first. Everything else is day-first, as most of the world writes it.
 */
export function detectDateOrder(texts: string[]): DateOrder {
  // Unambiguous dates settle it, however many rows print a euro sign: a document is
  // written in one order, and "11/17/2017" can only be month-first.
  let dmy = 0;
  let mdy = 0;
  let dotted = false;
  for (const text of texts) {
    for (const m of text.matchAll(/(?<![\d/.-])(\d{1,2})([-/.])(\d{1,2})\2(\d{2,4})(?!\d)/g)) {
      const [a, b] = [Number(m[1]), Number(m[3])];
      if (a > 12 && a <= 31 && b <= 12) dmy += 1;
      else if (b > 12 && b <= 31 && a <= 12) mdy += 1;
      if (m[2] === ".") dotted = true;
    }
  }
  if (dmy !== mdy) return mdy > dmy ? "mdy" : "dmy";
  // Otherwise conventions, each counted once per document.
  const all = texts.join("\n");
  let lean = dotted ? -2 : 0;
  if (/\bUSD\b|US\$|\bsales tax\b/i.test(all)) lean += 3;
  if (/\b[A-Z]{2} \d{5}(?:-\d{4})?\b/.test(all)) lean += 1;
  if (/\b(?:RM|MYR|EUR|GBP|SGD|AUD|INR|MwSt|USt|VAT|GST|TVA|BTW|IVA)\b|[€£]/.test(all)) lean -= 1;
  return lean > 0 ? "mdy" : "dmy";
}
