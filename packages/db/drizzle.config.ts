import { defineConfig } from "drizzle-kit";

// Generates SQL from src/schema into the repo's top-level drizzle/ folder. Roles, functions,
// RLS, grants and triggers are hand-written migrations in the same folder (drizzle-kit
// generate --custom), because Drizzle's own policy support has dropped USING / WITH CHECK
// clauses; `pnpm db:audit` checks what actually reached the database.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/schema/index.ts",
  out: "../../drizzle",
});
