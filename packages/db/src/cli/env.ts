import { z } from "zod";
import { databaseUrlSetting } from "../config";

/** The db commands' configuration, parsed once here and passed down as plain values. */
const envSchema = z.object({
  // An empty DATABASE_URL means "none": use the embedded database.
  DATABASE_URL: databaseUrlSetting,
  REMIT_DATA_DIR: z.string().min(1).default("./.data"),
});

export type DbCliEnv = z.infer<typeof envSchema>;

export function parseEnv(source: NodeJS.ProcessEnv = process.env): DbCliEnv {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n  ${problems.join("\n  ")}`);
  }
  return result.data;
}

export function describeTarget(env: DbCliEnv): string {
  if (!env.DATABASE_URL) return `embedded PGlite at ${env.REMIT_DATA_DIR}/pglite`;
  const url = new URL(env.DATABASE_URL);
  return `PostgreSQL ${url.host}${url.pathname}`;
}
