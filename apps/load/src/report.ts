import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const docs = (name: string) => fileURLToPath(new URL(`../../../docs/${name}`, import.meta.url));

/**
 * Replaces (or appends) a section of a file under docs/ with the report: by default the
 * "pnpm test:load" section of docs/benchmarks.md.
 */
export function writeDocsSection(
  intro: string,
  report: string[],
  where: { file: string; heading: string } = {
    file: "benchmarks.md",
    heading: "## pnpm test:load",
  },
): void {
  const { heading } = where;
  const benchmarks = docs(where.file);
  const text = readFileSync(benchmarks, "utf8");
  const section = `${heading}\n\n${intro}\n\n\`\`\`text\n${report.join("\n")}\n\`\`\`\n`;
  const start = text.indexOf(`\n${heading}\n`);
  if (start === -1) {
    writeFileSync(benchmarks, `${text.trimEnd()}\n\n${section}`);
    return;
  }
  const next = text.indexOf("\n## ", start + heading.length + 2);
  const rest = next === -1 ? "" : `\n${text.slice(next + 1)}`;
  writeFileSync(benchmarks, `${text.slice(0, start + 1)}${section}${rest}`);
}
