/**
 * The bench's command line, e.g. `pnpm bench:ocr --images /path/to/scans --count 12`;
 * `--only ocr,text,rss` picks sections.
 */
export interface BenchArgs {
  /** A folder of JPEG/PNG scans, read in place (eval data is never copied into the repo). */
  images: string | null;
  count: number;
  /** Jobs the memory child runs. */
  jobs: number;
  /** Page segmentation mode given to both engines. */
  psm: number;
  /** Which traineddata of @tesseract.js-data/eng both engines load. */
  data: "4.0.0_best_int" | "4.0.0";
  textPages: number;
  /** recycleAfter of the memory run; "never" compares without recycling. */
  recycleAfter: number;
  /** Sections to run; all by default. */
  only: Set<Section>;
}

export const sections = ["ocr", "text", "rss"] as const;
export type Section = (typeof sections)[number];

export function parseArgs(argv: string[]): BenchArgs {
  const flags = new Map<string, string>();
  for (let index = 0; index < argv.length; index += 1) {
    const flag = argv[index];
    if (!flag?.startsWith("--")) throw new Error(`unexpected argument ${flag}`);
    flags.set(flag.slice(2), argv[index + 1] ?? "");
    index += 1;
  }
  const data = flags.get("data") ?? "4.0.0_best_int";
  if (data !== "4.0.0_best_int" && data !== "4.0.0") throw new Error(`unknown --data ${data}`);
  const only = (flags.get("only") ?? sections.join(",")).split(",");
  return {
    images: flags.get("images") ?? null,
    count: Number(flags.get("count") ?? 12),
    jobs: Number(flags.get("jobs") ?? 200),
    psm: Number(flags.get("psm") ?? 6),
    data,
    textPages: Number(flags.get("text-pages") ?? 20),
    recycleAfter: Number(flags.get("recycle") ?? 50),
    only: new Set(
      only.filter((name): name is Section => (sections as readonly string[]).includes(name)),
    ),
  };
}
