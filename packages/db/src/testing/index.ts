export { type SeededTenant, seedTenant } from "./seed";
export { openTestDatabase, type TestDatabase } from "./test-database";
