import { createRemitClient } from "@remit/client";
import { mimeMessage, rawPdf, smtpSend } from "@remit/testkit";
import { type Attack, fail, pass } from "../attack";
import { leaks, type World } from "../world";

/*
 * [3/7] E-mail in, attacked over real SMTP: the only point of trust is the address (slug + token
 * hash, resolved by one SECURITY DEFINER function). A guessed token for the victim's slug, the
 * attacker's own token under the victim's slug, or the victim named only in headers must never
 * put anything into the victim's tenant; the surface loop checks the victim's reads are unchanged.
 */

const client = (w: World) => createRemitClient({ url: w.url, token: w.attacker.adminToken });

function tokenOf(address: string): string {
  return address.split("+")[1]?.split("@")[0] ?? "";
}

/** Another of the 32 letters at the token's last place: one step from the real address. */
function nearMiss(address: string): string {
  const [local, domain] = address.split("@");
  const last = local?.at(-1) === "a" ? "b" : "a";
  return `${local?.slice(0, -1)}${last}@${domain}`;
}

const guessedToken: Attack = {
  name: "guessed-token",
  async run({ world }) {
    const { domain, port } = world.mail;
    const random = Array.from(
      { length: 26 },
      () => "abcdefghijklmnopqrstuvwxyz234567"[Math.floor(Math.random() * 32)],
    ).join("");
    const candidates = [
      `${world.victim.slug}+${random}@${domain}`,
      `${world.victim.slug}+${tokenOf(world.attacker.mailAddress)}@${domain}`,
      nearMiss(world.victim.mailAddress),
      `${world.victim.slug}@${domain}`,
      `${world.victim.slug}+${random.toUpperCase()}@${domain}`,
    ];
    const sent = await smtpSend({
      port,
      from: "mallory@attacker.test",
      to: candidates,
      message: mimeMessage({
        from: "mallory@attacker.test",
        to: candidates,
        subject: "guess",
        text: "guess",
        attachments: [
          {
            filename: "g.pdf",
            contentType: "application/pdf",
            content: rawPdf({ objects: [`<< /G ${random} >>`] }),
          },
        ],
      }),
    });
    const accepted = sent.rcpt.filter((code) => code !== 550);
    if (accepted.length > 0) return fail(`RCPT answered ${sent.rcpt.join(",")}`);
    return pass(`${candidates.length} guessed addresses refused at RCPT (550)`);
  },
};

const bothTenants: Attack = {
  name: "message-naming-both",
  async run({ world }) {
    const { domain, port } = world.mail;
    const attacker = client(world);
    const before = (await attacker.invoice.list.query({ limit: 100 })).items.length;
    const subject = `both-${crypto.randomUUID().slice(0, 8)}`;
    const guessed = `${world.victim.slug}+${tokenOf(world.attacker.mailAddress).split("").reverse().join("")}@${domain}`;
    // The envelope names the attacker's own address and a guess at the victim's; the headers
    // name the victim's real address, which the envelope never does.
    const sent = await smtpSend({
      port,
      from: "mallory@attacker.test",
      to: [world.attacker.mailAddress, guessed],
      message: mimeMessage({
        from: "mallory@attacker.test",
        to: [world.victim.mailAddress, world.attacker.mailAddress],
        subject,
        text: "for both of you",
        extraHeaders: [
          `Cc: ${world.victim.mailAddress}`,
          `Delivered-To: ${world.victim.mailAddress}`,
          `X-Original-To: ${world.victim.mailAddress}`,
          `X-Remit-Tenant: ${world.victim.id}`,
        ],
        attachments: [
          {
            filename: "both.pdf",
            contentType: "application/pdf",
            content: rawPdf({ objects: [`<< /Both (${subject}) >>`] }),
          },
        ],
      }),
    });
    if (sent.rcpt[0] !== 250 || sent.rcpt[1] !== 550 || sent.data !== 250) {
      return fail(`RCPT ${sent.rcpt.join(",")}, DATA ${sent.data}`);
    }
    const after = await attacker.invoice.list.query({ limit: 100 });
    if (after.items.length !== before + 1) {
      return fail(`the attacker's own copy: ${after.items.length - before} invoices`);
    }
    const messages = await attacker.mail.messages.query({ limit: 5 });
    const own = messages.find((m) => m.subject === subject);
    if (!own) return fail("the attacker's own copy was not recorded");
    const leaked = leaks(world, messages);
    if (leaked) return fail(`the attacker's messages carry ${leaked}`);
    return pass("only the attacker's own copy was stored; the victim's guess refused at RCPT");
  },
};

/** The victim's own address, revoked by the victim, answers 550 to everyone. */
const revokedAddress: Attack = {
  name: "revoked-address",
  async run({ world }) {
    const attacker = client(world);
    const spare = await attacker.mail.createAddress.mutate({ label: "spare" });
    await attacker.mail.revokeAddress.mutate({ id: spare.id });
    const sent = await smtpSend({
      port: world.mail.port,
      from: "mallory@attacker.test",
      to: [spare.address],
      message: mimeMessage({
        from: "m@attacker.test",
        to: [spare.address],
        subject: "x",
        text: "x",
      }),
    });
    return sent.rcpt[0] === 550
      ? pass("revoked address refused at RCPT")
      : fail(`RCPT ${sent.rcpt[0]}`);
  },
};

export const mailAttacks: Attack[] = [guessedToken, bothTenants, revokedAddress];
