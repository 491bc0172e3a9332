import { buildMigratedImage } from "../pglite-image";

// `pnpm db:image` (and the end of `pnpm build`): the migrated PGlite image a fresh embedded
// database starts from (see pglite-image.ts). Nothing to do when it is already there.
const started = performance.now();
const path = await buildMigratedImage();
console.log(`PGlite image ${path} ready in ${Math.round(performance.now() - started)} ms`);
