// The test kit's one reading of the environment: where CI's PostgreSQL pass points, and the
// environment the started processes inherit (PATH, NODE_OPTIONS and the like).
export const testDatabaseUrl = process.env.TEST_DATABASE_URL || undefined;

export function inheritedEnvironment(): NodeJS.ProcessEnv {
  return { ...process.env };
}
