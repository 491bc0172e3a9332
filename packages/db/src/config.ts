import { z } from "zod";

/**
 * How an app's env.ts reads the database setting: a postgres:// URL, or nothing (empty counts as
 * nothing) for the embedded PGlite. The package defines the shape; only apps read the env.
 */
export const databaseUrlSetting = z.preprocess(
  (value) => (value === "" ? undefined : value),
  z
    .string()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgres:// URL")
    .optional(),
);
