// The bench's one reading of the environment: an optional PostgreSQL server to bench against.
export const benchDatabaseUrl = process.env.DATABASE_URL || undefined;
