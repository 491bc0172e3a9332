#!/usr/bin/env bash
# Proves that a project outside the monorepo can depend on @remit/client: pack the built
# package, install the tarball into a fresh folder with npm, type-check a usage file (including
# a call that must NOT compile) and import it at run time.
set -euo pipefail
cd "$(dirname "$0")/.."
# tsup's declaration bundling failed once in CI with "Error parsing" on a workspace source file,
# and never again on the same tree: one retry, and a second failure is a failure.
pnpm --silent build || { echo "the client build failed; retrying once"; pnpm --silent build; }
# The declarations must stand alone: they may import only the packages the client depends on.
# A workspace package (@remit/api) or a relative path to a file that is not in dist/ would leave
# the router's types unresolved outside the monorepo (and `any` under skipLibCheck, silently).
imports="$(grep -oE "(from|import\() *['\"][^'\"]+['\"]" dist/index.d.ts | sed -E "s/.*['\"]([^'\"]+)['\"]/\1/" | sort -u)"
stray="$(grep -vxE '@trpc/client|@trpc/server|superjson|zod' <<< "$imports" || true)"
if [ -n "$stray" ]; then
  echo "dist/index.d.ts imports what an outside project does not have: $stray"
  exit 1
fi
if grep -nE "@remit/|_remit_" dist/index.d.ts; then
  echo "dist/index.d.ts still names a workspace package (above)"
  exit 1
fi
echo "dist/index.d.ts is self-contained: it imports only $(tr '\n' ' ' <<< "$imports")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
pnpm pack --pack-destination "$tmp" > /dev/null
tarball="$(ls "$tmp"/remit-client-*.tgz)"
cd "$tmp"
cat > package.json <<JSON
{ "name": "outside", "private": true, "type": "module",
  "dependencies": { "@remit/client": "file:$tarball", "typescript": "5.9.3", "@types/node": "^20.19.0" } }
JSON
npm install --no-audit --no-fund --loglevel=error > /dev/null
cat > usage.ts <<'TS'
import { createRemitClient, type RemitClient, type RemitInputs, type RemitOutputs } from "@remit/client";

type ListInput = RemitInputs["invoice"]["list"];
type Listed = RemitOutputs["invoice"]["list"]["items"][number];
export const filter: ListInput = { status: "approved_to_ap", mine: true };
export const amount: Listed["total"] = "119.00";

const client: RemitClient = createRemitClient({ url: "http://127.0.0.1:3000", token: "t" });
export async function newestTotals(): Promise<Array<string | null>> {
  const page = await client.invoice.list.query({ status: "verified", limit: 10 });
  return page.items.map((invoice) => invoice.total);
}
// A type that reached the declarations through a server module (the health report's points) is
// spelled out, not an unresolved import that would read as `any`.
type Point = RemitOutputs["health"]["tenantContext"]["series"][number];
export const firstBucket = (point: Point): Date => point.start;
// @ts-expect-error a point is an object with a start, not a string.
export const notAPoint: Point = "yesterday";
export async function wrong() {
  // @ts-expect-error "settled" is not an invoice status: the router's types reach this project.
  await client.invoice.list.query({ status: "settled" });
}
TS
# skipLibCheck: @trpc/client 11.19's own declarations (its WebSocket link) do not type-check
# without the optional `ws` package, in any project. Ours are checked in the monorepo, the import
# check above proves they name nothing of the server, and the @ts-expect-error below proves the
# router's types reach this project.
npx tsc --noEmit --strict --skipLibCheck true --module nodenext --moduleResolution nodenext --target es2022 usage.ts
set +e
usage="$(npx --no-install remit 2>&1)"
code=$?
set -e
if [ "$code" -ne 2 ] || ! grep -q "usage:" <<< "$usage"; then
  echo "the remit command did not run from the installed package (exit $code): $usage"
  exit 1
fi
node --input-type=module -e "import('@remit/client').then((m) => { if (typeof m.createRemitClient !== 'function') process.exit(1); console.log('@remit/client installs, type-checks and loads outside the monorepo'); })"
