import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const benchmarks = fileURLToPath(new URL("../../../docs/benchmarks.md", import.meta.url));
const heading = "## pnpm test:load";

/** Replaces (or appends) the "pnpm test:load" section of docs/benchmarks.md with the report. */
export function writeDocsSection(intro: string, report: string[]): void {
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
