export { type ApiDeps, type Caller, type Context, createContext, identify } from "./context";
export { type ApiConfig, createApiDeps } from "./deps";
export { TenantContextRecorder } from "./recorder";
export { type AppRouter, appRouter, createCaller } from "./root";
export type { Meta } from "./trpc";
export { handleDownload } from "./upload/handle-download";
export { handleUpload, type UploadResult } from "./upload/handle-upload";
export { limits as uploadLimits } from "./upload/inspect";
export { type SweepReport, sweepOrphans } from "./upload/sweeper";
