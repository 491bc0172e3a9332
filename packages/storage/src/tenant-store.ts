import type { Readable } from "node:stream";
import { assertTenantKey } from "./keys";
import type { ObjectStore, PutResult } from "./store";

/**
 * The store as one tenant sees it: every read, delete, head and signed link checks first that
 * the key lies in that tenant's prefix (and is a well-formed Remit key).
 */
export function tenantStore(store: ObjectStore, tenantId: string) {
  return {
    put(
      key: string,
      body: Readable,
      options: { maxBytes: number; contentType: string },
    ): Promise<PutResult> {
      assertTenantKey(key, tenantId);
      return store.put(key, body, options);
    },
    async get(key: string) {
      assertTenantKey(key, tenantId);
      return store.get(key);
    },
    async head(key: string) {
      assertTenantKey(key, tenantId);
      return store.head(key);
    },
    async delete(key: string) {
      assertTenantKey(key, tenantId);
      return store.delete(key);
    },
  };
}

export type TenantStore = ReturnType<typeof tenantStore>;
