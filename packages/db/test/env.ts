// The test suite's one reading of the environment: CI's second pass points it at PostgreSQL.
export const testDatabaseUrl = process.env.TEST_DATABASE_URL || undefined;
