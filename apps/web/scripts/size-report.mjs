// Prints the gzipped size of the JavaScript the first page needs (index.html's entry module and
// the chunks it preloads) and fails the build past the budget. Lazy screens are not counted.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const budget = 250 * 1024;
const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
const html = readFileSync(join(dist, "index.html"), "utf8");

const initial = new Set();
for (const [, src] of html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g))
  initial.add(src);
for (const [, href] of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)) {
  initial.add(href);
}
if (initial.size === 0) {
  console.error("size report: no entry script found in dist/index.html");
  process.exit(1);
}

let total = 0;
const rows = [];
for (const url of initial) {
  const bytes = readFileSync(join(dist, url.replace(/^\//, "")));
  const gz = gzipSync(bytes, { level: 9 }).length;
  total += gz;
  rows.push(
    `  ${url}  ${(bytes.length / 1024).toFixed(1)} kB raw, ${(gz / 1024).toFixed(1)} kB gzip`,
  );
}
const css = [...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map(([, h]) => h);
const cssGz = css.reduce(
  (sum, url) => sum + gzipSync(readFileSync(join(dist, url.replace(/^\//, "")))).length,
  0,
);

console.log("initial JS (entry + preloaded chunks):");
for (const row of rows) console.log(row);
console.log(
  `initial JS gzip: ${(total / 1024).toFixed(1)} kB of ${budget / 1024} kB budget` +
    (css.length ? `; CSS gzip: ${(cssGz / 1024).toFixed(1)} kB` : ""),
);
if (total > budget) {
  console.error(`initial JS is over budget by ${((total - budget) / 1024).toFixed(1)} kB`);
  process.exit(1);
}
