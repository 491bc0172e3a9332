import { fileURLToPath } from "node:url";
import { databaseUrlSetting } from "@remit/db";
import { z } from "zod";

const repoDataDir = fileURLToPath(new URL("../../../.data", import.meta.url));

/** The server's whole configuration, parsed once at start-up and passed down as plain values. */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  // No DATABASE_URL: the embedded PGlite under REMIT_DATA_DIR, so a fresh clone needs no server.
  DATABASE_URL: databaseUrlSetting,
  // Default: the repo's own .data/, whatever folder the server was started from (turbo runs it in
  // apps/api), so `pnpm dev` and `pnpm db:migrate` share one embedded database.
  REMIT_DATA_DIR: z.string().min(1).default(repoDataDir),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
});

export type Env = z.infer<typeof envSchema>;

export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${problems.join("\n")}`);
  }
  return result.data;
}
