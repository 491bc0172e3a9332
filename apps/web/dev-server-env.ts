/*
 * The Vite dev server's own settings, read once by vite.config.ts. The SPA itself has no
 * environment: it talks to whatever origin served it.
 */

/** Every variable the dev server reads: turbo.json must pass each one through (a test checks). */
export const envKeys = ["REMIT_API_URL", "WEB_PORT"] as const;

export interface DevServerSettings {
  /** Where `/api` is forwarded to: the API server (`pnpm dev` starts it on :3000). */
  apiUrl: string;
  /** The dev server's port. */
  port: number;
}

export function parseDevServerEnv(
  source: Partial<Record<(typeof envKeys)[number], string>>,
): DevServerSettings {
  const apiUrl = source.REMIT_API_URL || "http://127.0.0.1:3000";
  if (!URL.canParse(apiUrl)) throw new Error(`REMIT_API_URL is not a URL: ${apiUrl}`);
  const port = Number(source.WEB_PORT || 5173);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`WEB_PORT must be a port number (1-65535), not ${source.WEB_PORT}`);
  }
  return { apiUrl, port };
}
