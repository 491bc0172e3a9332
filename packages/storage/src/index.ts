export { contentDisposition } from "./content-disposition";
export { ObjectNotFoundError, TooLargeError } from "./errors";
export { safeFilename } from "./filenames";
export {
  assertTenantKey,
  extensionOf,
  isTenantKey,
  type KeyParts,
  originalKey,
  pagePreviewKey,
  type StoredContentType,
} from "./keys";
export { type LocalStoreOptions, localStore } from "./local";
export { type S3StoreOptions, s3Store } from "./s3";
export { type SignedLink, toQuery, verifyQuery } from "./signing";
export type { ObjectStore, PutResult } from "./store";
export { type TenantStore, tenantStore } from "./tenant-store";
