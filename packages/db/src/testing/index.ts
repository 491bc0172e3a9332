export { pgliteExtensions } from "../pglite-extensions";
export { type PgliteWire, servePgliteOverWire } from "./pglite-wire";
export { type SeededTenant, seedTenant } from "./seed";
export { migratedPgliteDump, readPgliteDump } from "./template";
export { openTestDatabase, type TestDatabase, type TestDatabaseOptions } from "./test-database";
