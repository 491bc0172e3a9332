import { randomUUID } from "node:crypto";
import { imapTlsModes } from "@remit/db";
import { z } from "zod";
import { recordAudit } from "../audit";
import { BadRequestError, NotFoundError, PreconditionError } from "../errors";
import { openMailboxPassword, sealMailboxPassword } from "../mail/imap/mailbox-password";
import { testMailbox } from "../mail/imap/test-mailbox";
import { HostRefusedError, resolvePermittedHost } from "../net/resolve-host";
import {
  countImapMailboxes,
  deleteImapMailbox,
  imapMailbox,
  insertImapMailbox,
  listImapMailboxes,
  mailboxForPoll,
  updateImapMailbox,
} from "../queries/mail-imap";
import { inTenantTransaction, type TenantScope } from "../request/steps";
import { canOnPlatform, router } from "../trpc";

/*
 * IMAP mailboxes Remit polls for a tenant (docs/email-in.md#imap-polling), for its admins. The
 * password is sealed on the way in and never comes back out: answers say `passwordSet` only. A
 * host is checked against the address policy when saved (a clear answer at once) and again,
 * resolved afresh, at every connection. Network work (resolving, the connection test) happens
 * outside any transaction, so these procedures open their tenant transactions themselves.
 */

const maxMailboxes = 10;

const folderName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^\p{Cc}]+$/u, "a folder name without control characters");

/** Each setting, without defaults: an update changes what it names and nothing else. */
const fields = {
  label: z.string().trim().max(100),
  host: z
    .string()
    .trim()
    .toLowerCase()
    .min(1)
    .max(253)
    .regex(/^([a-z0-9-]+\.)*[a-z0-9-]+$|^\[?[0-9a-f:.]+\]?$/, "a host name or an IP address"),
  port: z.number().int().min(1).max(65535),
  tlsMode: z.enum(imapTlsModes),
  username: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1000),
  folder: folderName,
  processedFolder: folderName.nullable(),
  enabled: z.boolean(),
};

const mailboxSettings = z.object({
  ...fields,
  label: fields.label.default(""),
  port: fields.port.default(993),
  tlsMode: fields.tlsMode.default("implicit"),
  folder: fields.folder.default("INBOX"),
  processedFolder: fields.processedFolder.default(null),
  enabled: fields.enabled.default(true),
});

const changes = z.object(fields).partial().strict();

const admin = canOnPlatform("mail:manage");

type AdminCtx = Parameters<Parameters<typeof admin.query>[0]>[0]["ctx"];

function inTransaction<T>(ctx: AdminCtx, work: (scope: TenantScope) => Promise<T>) {
  const { tenantId, userId, role } = ctx;
  return inTenantTransaction(ctx, { tenantId, userId, role }, work);
}

/** Refuses a host the server would not connect to, and a plaintext mode it does not allow. */
async function checkReachable(ctx: AdminCtx, settings: { host?: string; tlsMode?: string }) {
  const imap = ctx.deps.imap;
  if (settings.tlsMode === "none" && !imap.allowPlaintext) {
    throw new BadRequestError(
      "IMAP without TLS is not allowed on this server: choose TLS or STARTTLS",
    );
  }
  if (settings.host === undefined) return;
  try {
    await resolvePermittedHost(settings.host, { allowPrivate: imap.allowPrivateHosts });
  } catch (error) {
    if (error instanceof HostRefusedError) throw new BadRequestError(error.message);
    throw error;
  }
}

/** What an audit row says of the settings: never the password, only that it changed. */
function described(input: z.infer<typeof changes>) {
  const { password, ...rest } = input;
  return { ...rest, passwordChanged: password !== undefined };
}

const byId = z.object({ id: z.uuid() });

export const imapMailboxRouter = router({
  /** The tenant's mailboxes with their status (last poll, last error, messages imported). */
  list: admin.query(({ ctx }) => inTransaction(ctx, ({ db }) => listImapMailboxes(db))),

  get: admin
    .input(byId)
    .query(({ ctx, input }) => inTransaction(ctx, ({ db }) => imapMailbox(db, input.id))),

  create: admin.input(mailboxSettings).mutation(async ({ ctx, input }) => {
    await checkReachable(ctx, input);
    const id = randomUUID();
    const { password, ...settings } = input;
    const passwordSealed = sealMailboxPassword(
      ctx.deps.imap.sealingKey,
      { tenantId: ctx.tenantId, mailboxId: id },
      password,
    );
    return inTransaction(ctx, async (scope) => {
      if ((await countImapMailboxes(scope.db)) >= maxMailboxes) {
        throw new PreconditionError(`a tenant may have at most ${maxMailboxes} IMAP mailboxes`);
      }
      await insertImapMailbox(scope.db, {
        ...settings,
        id,
        tenantId: ctx.tenantId,
        passwordSealed,
        createdBy: ctx.userId,
      });
      await recordAudit(
        { ...ctx, db: scope.db },
        {
          action: "mail.imap.create",
          entityType: "mail_imap_mailbox",
          entityId: id,
          summary: described(input),
        },
      );
      return imapMailbox(scope.db, id);
    });
  }),

  /** Changes settings; the password only when one is given. */
  update: admin
    .input(z.object({ id: z.uuid(), data: changes }))
    .mutation(async ({ ctx, input }) => {
      await checkReachable(ctx, input.data);
      const { password, ...settings } = input.data;
      const passwordSealed =
        password === undefined
          ? undefined
          : sealMailboxPassword(
              ctx.deps.imap.sealingKey,
              { tenantId: ctx.tenantId, mailboxId: input.id },
              password,
            );
      return inTransaction(ctx, async (scope) => {
        await updateImapMailbox(scope.db, input.id, {
          ...settings,
          ...(passwordSealed ? { passwordSealed } : {}),
        });
        await recordAudit(
          { ...ctx, db: scope.db },
          {
            action: "mail.imap.update",
            entityType: "mail_imap_mailbox",
            entityId: input.id,
            summary: described(input.data),
          },
        );
        return imapMailbox(scope.db, input.id);
      });
    }),

  /** Logs in with the stored settings and opens the folder read-only; answers a sentence. */
  test: admin.input(byId).mutation(async ({ ctx, input }) => {
    const row = await inTransaction(ctx, ({ db }) => mailboxForPoll(db, input.id));
    if (!row) throw new NotFoundError("IMAP mailbox");
    const ref = { tenantId: ctx.tenantId, mailboxId: row.id };
    let password: string;
    try {
      password = openMailboxPassword(ctx.deps.imap.sealingKey, ref, row.passwordSealed);
    } catch {
      return {
        ok: false,
        error:
          "the stored password can no longer be read (the server's secret has changed): enter the password again",
        messages: null,
      };
    }
    return testMailbox(ctx.deps.imap, { ...row, password });
  }),

  /** Stops polling; the settings stay (enable again with update). */
  disable: admin.input(byId).mutation(({ ctx, input }) =>
    inTransaction(ctx, async (scope) => {
      await updateImapMailbox(scope.db, input.id, { enabled: false });
      await recordAudit(
        { ...ctx, db: scope.db },
        { action: "mail.imap.disable", entityType: "mail_imap_mailbox", entityId: input.id },
      );
      return imapMailbox(scope.db, input.id);
    }),
  ),

  /** Deletes the mailbox and its sealed password; messages it brought stay. */
  delete: admin.input(byId).mutation(({ ctx, input }) =>
    inTransaction(ctx, async (scope) => {
      await deleteImapMailbox(scope.db, input.id);
      await recordAudit(
        { ...ctx, db: scope.db },
        { action: "mail.imap.delete", entityType: "mail_imap_mailbox", entityId: input.id },
      );
      return { id: input.id };
    }),
  ),
});
