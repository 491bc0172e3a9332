// After tsup: make dist/index.d.ts stand on its own outside the monorepo. The router's shape is
// already written out in full; what still names a workspace package is the server-side context
// and procedure meta, which a client never sees. They become opaque objects, and the build
// fails if any other reference to a workspace package is left.
import { readFileSync, writeFileSync } from "node:fs";

const file = new URL("../dist/index.d.ts", import.meta.url);
let text = readFileSync(file, "utf8");
text = text
  .replace(/^import \* as _remit_api from '@remit\/api';\n/m, "")
  .replaceAll("_remit_api.Context", "object")
  .replaceAll("_remit_api.Meta", "object");
const leftover = text.match(/.*@remit\/.*|.*_remit_\w+.*/g);
if (leftover) {
  console.error(
    `dist/index.d.ts still refers to workspace packages:\n${leftover.slice(0, 5).join("\n")}`,
  );
  process.exit(1);
}
writeFileSync(file, text);
console.log("dist/index.d.ts is self-contained");
