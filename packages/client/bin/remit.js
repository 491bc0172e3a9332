#!/usr/bin/env node
// The `remit` command. A committed launcher rather than dist/remit.js itself, so that installing
// the workspace can link the command before anything is built (pnpm warns on a missing bin).
try {
  await import("../dist/remit.js");
} catch (error) {
  if (error?.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes("dist/remit.js")) {
    console.error("remit: the client is not built yet; run `pnpm build` first");
    process.exit(1);
  }
  throw error;
}
