import type { World } from "./world";

/** A JWT for the attacker's session (GET /api/auth/token), as an internal app would mint one. */
export async function attackerJwt(world: World): Promise<string> {
  const response = await fetch(`${world.url}/api/auth/token`, {
    headers: { authorization: `Bearer ${world.attacker.adminToken}` },
  });
  const body = (await response.json()) as { token?: string };
  if (!body.token) throw new Error("no JWT for the attacker");
  return body.token;
}

/** The same JWT with its tenant_id claim rewritten to the victim's; the signature is kept. */
export function withForgedTenant(jwt: string, tenantId: string): string {
  const [header, payload, signature] = jwt.split(".") as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
  const forged = Buffer.from(JSON.stringify({ ...claims, tenant_id: tenantId })).toString(
    "base64url",
  );
  return `${header}.${forged}.${signature}`;
}

/** A job token with its last signature characters changed. */
export function tamperedJobToken(token: string): string {
  const last = token.at(-2) === "A" ? "B" : "A";
  return `${token.slice(0, -2)}${last}${token.at(-1)}`;
}

const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** The same input with every id replaced by one that never existed. */
export function withRandomIds(input: unknown): unknown {
  return JSON.parse(JSON.stringify(input).replace(uuid, () => crypto.randomUUID()));
}
