import { z } from "zod";

/** The CLI's configuration: where Remit is and who you are, read once from the environment. */
const envSchema = z.object({
  REMIT_URL: z
    .url("REMIT_URL must be the API's URL, e.g. http://127.0.0.1:3000")
    .default("http://127.0.0.1:3000"),
  REMIT_TOKEN: z
    .string()
    .min(10, "set REMIT_TOKEN to a session token or JWT (see the client README)"),
});

export type CliEnv = z.infer<typeof envSchema>;

export function parseCliEnv(source: NodeJS.ProcessEnv = process.env): CliEnv {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    throw new Error(result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n"));
  }
  return result.data;
}
