import { provideTestDatabase } from "@remit/db/testing/vitest";
import type { TestProject } from "vitest/node";

// The suite's one reading of the environment: CI's second pass points it at PostgreSQL. Migrate
// once for the whole suite: the real server before its files run, or the PGlite dump every
// file starts from.
export default (project: TestProject) =>
  provideTestDatabase(project, process.env.TEST_DATABASE_URL || undefined);
