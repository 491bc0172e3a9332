import { HostRefusedError } from "../../net/resolve-host";
import { SealedSecretError } from "../../secrets/sealed-secret";

/*
 * What went wrong with a mailbox, as one sentence for its admins (shown on the E-mail in page and
 * kept in mail_imap_mailboxes.last_error). Never a stack, never the password; the server's own
 * words only where they explain (its reply to a refused folder), cut short.
 */

/** Why a poll stopped, already said as a sentence (a folder that does not exist, a bad setting). */
export class MailboxProblem extends Error {
  override name = "MailboxProblem";
}

interface ImapLikeError {
  code?: string;
  authenticationFailed?: boolean;
  tlsFailed?: boolean;
  responseText?: string;
  mailboxMissing?: boolean;
}

const tlsCodes =
  /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL|EPROTO|ALTNAME|UNABLE_TO_GET_ISSUER/;

export function mailboxErrorSentence(
  error: unknown,
  where: { host: string; port: number },
): string {
  const at = `${where.host}:${where.port}`;
  if (error instanceof MailboxProblem || error instanceof HostRefusedError) return error.message;
  if (error instanceof SealedSecretError) {
    return "the stored password can no longer be read (the server's secret has changed): enter the password again";
  }
  const e = (error ?? {}) as ImapLikeError;
  if (e.authenticationFailed) return `the mail server at ${at} refused the user name or password`;
  if (e.tlsFailed) return `the mail server at ${at} does not offer STARTTLS`;
  const code = e.code ?? "";
  if (code === "ECONNREFUSED") return `the mail server at ${at} refused the connection`;
  if (
    ["CONNECT_TIMEOUT", "GREETING_TIMEOUT", "ETIMEOUT", "ETIMEDOUT", "UPGRADE_TIMEOUT"].includes(
      code,
    )
  ) {
    return `the mail server at ${at} did not answer in time`;
  }
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH")
    return `the mail server at ${at} cannot be reached`;
  if (code === "ECONNRESET" || code === "EConnectionClosed" || code === "NoConnection") {
    return `the mail server at ${at} closed the connection`;
  }
  if (tlsCodes.test(code)) {
    return `the TLS connection to ${at} failed: its certificate or protocol was not accepted (${code})`;
  }
  const said = typeof e.responseText === "string" ? e.responseText.slice(0, 200) : "";
  return said
    ? `the mail server at ${at} answered: ${said}`
    : `the mail server at ${at} could not be read (${code || "unexpected answer"})`;
}
