import { lookup as dnsLookup } from "node:dns/promises";
import { isIP } from "node:net";
import { type AddressPolicy, addressRefusal } from "./address-policy";

/** A host the policy refused, or that could not be resolved: the message is a sentence. */
export class HostRefusedError extends Error {
  override name = "HostRefusedError";
}

export type Lookup = (host: string) => Promise<Array<{ address: string; family: number }>>;

const systemLookup: Lookup = (host) => dnsLookup(host, { all: true, verbatim: true });

/**
 * Resolves `host` once and checks every address it resolves to against the policy; refused if
 * any one is refused (a name that also points inside is not a name to trust). The caller then
 * connects to the address returned, never to the name again, so a second, different answer from
 * DNS (rebinding) cannot move the connection somewhere the check did not see. TLS still verifies
 * the certificate against the name (pass it as servername).
 */
export async function resolvePermittedHost(
  host: string,
  policy: AddressPolicy,
  options: { lookup?: Lookup; timeoutMs?: number } = {},
): Promise<{ address: string; family: 4 | 6 }> {
  const name = host.trim().replace(/^\[|\]$/g, "");
  let answers: Array<{ address: string; family: number }>;
  if (isIP(name)) {
    answers = [{ address: name, family: isIP(name) }];
  } else {
    const timeoutMs = options.timeoutMs ?? 5000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      answers = await Promise.race([
        (options.lookup ?? systemLookup)(name),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error("timeout")), timeoutMs);
        }),
      ]);
    } catch {
      throw new HostRefusedError(`the host name ${name} could not be resolved`);
    } finally {
      clearTimeout(timer);
    }
  }
  if (answers.length === 0) throw new HostRefusedError(`the host name ${name} has no address`);
  for (const answer of answers) {
    const refusal = addressRefusal(answer.address, policy, name);
    if (refusal) throw new HostRefusedError(refusal);
  }
  const first = answers[0] as { address: string; family: number };
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}
