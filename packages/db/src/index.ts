export { type BuiltQuery, builtQuery } from "./built-query";
export {
  type CreateDbOptions,
  createDb,
  type DbHandle,
  type DbKind,
  defaultPgliteDir,
} from "./client";
export { databaseUrlSetting } from "./config";
export { type LeaderLock, leaderLockKey, pgliteLeaderLock } from "./leader-lock";
export { migrate, migrationsFolder } from "./migrate";
export type { ChannelHandlers, Notifications } from "./notifications";
export {
  type Backoff,
  type ClaimedJob,
  claimOcrJob,
  completeOcrJob,
  type FailedJobStatus,
  failOcrJob,
  heartbeatOcrJob,
  type JobFence,
  ocrQueueDepth,
  releaseOcrJob,
} from "./ocr-queue";
export { buildMigratedImage, seedFreshDataDir } from "./pglite-image";
export { hitRateLimit, pruneRateLimits, type RateLimitHit } from "./rate-limits";
export { queryRows } from "./rows";
export * from "./schema";
export * as schema from "./schema";
export { isDatabaseUnavailable, sqlState } from "./sql-state";
export { type OutcomeBucket, tenantContextHealth } from "./tenant-context-health";
export type { Database, Schema, TenantDb, Transaction } from "./types";
export { asAppRole, type TenantContext, tenantContextSchema, withTenant } from "./with-tenant";
