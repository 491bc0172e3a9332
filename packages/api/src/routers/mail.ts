import { z } from "zod";
import { recordAudit } from "../audit";
import { PreconditionError } from "../errors";
import { formatMailAddress, hashMailToken, newMailToken, tokenHint } from "../mail/mail-token";
import {
  insertMailAddress,
  listAllowedSenders,
  listMailAddresses,
  listMailMessages,
  mailAddressLabel,
  mailMessageOfInvoice,
  replaceAllowedSenders,
  revokeMailAddress,
} from "../queries/mail";
import { tenantById } from "../queries/memberships";
import { inTenantTransaction, type TenantScope } from "../request/steps";
import { can, canOnPlatform, router } from "../trpc";

/*
 * E-mail in, for a tenant's admins: the inbound addresses (created, rotated, revoked; the token is
 * shown once, at creation, and only its hash is kept), the sender allowlist, and the messages
 * received. The tenant's slug is read from the platform table first, so these procedures open
 * their tenant transaction themselves (canOnPlatform holds none).
 */

const label = z.string().trim().max(100).default("");
const senderPattern = z
  .string()
  .trim()
  .toLowerCase()
  .max(320)
  .regex(
    /^([^\s@]+@|@)[a-z0-9.-]+\.[a-z]{2,}$/,
    "an address (ap@supplier.com) or a domain (@supplier.com)",
  );

const admin = canOnPlatform("mail:manage");

type AdminCtx = Parameters<Parameters<typeof admin.query>[0]>[0]["ctx"];

function inTransaction<T>(ctx: AdminCtx, work: (scope: TenantScope) => Promise<T>) {
  const { tenantId, userId, role } = ctx;
  return inTenantTransaction(ctx, { tenantId, userId, role }, work);
}

/** The tenant's slug and the mail domain, read before the tenant transaction opens. */
async function addressParts(ctx: AdminCtx) {
  const domain = ctx.deps.mailDomain;
  if (!domain) {
    throw new PreconditionError("e-mail in is not set up on this server (REMIT_MAIL_DOMAIN)");
  }
  const { slug } = await tenantById(ctx.deps.db, ctx.tenantId);
  return { slug, domain };
}

async function issueAddress(
  ctx: AdminCtx,
  scope: TenantScope,
  parts: { slug: string; domain: string },
  addressLabel: string,
) {
  const { slug, domain } = parts;
  const token = newMailToken();
  const created = await insertMailAddress(scope.db, {
    tenantId: ctx.tenantId,
    tokenHash: hashMailToken(token),
    tokenHint: tokenHint(token),
    label: addressLabel,
    createdBy: ctx.userId,
  });
  return { id: created.id, address: formatMailAddress(slug, token, domain), label: addressLabel };
}

export const mailRouter = router({
  /** The addresses (never their tokens), the allowlist, and where mail goes. */
  settings: admin.query(async ({ ctx }) => {
    const { slug } = await tenantById(ctx.deps.db, ctx.tenantId);
    return inTransaction(ctx, async ({ db }) => ({
      domain: ctx.deps.mailDomain,
      slug,
      addresses: await listMailAddresses(db),
      allowedSenders: (await listAllowedSenders(db)).map((row) => row.pattern),
    }));
  }),

  /** A new address; the answer holds its full text, shown this once. */
  createAddress: admin.input(z.object({ label })).mutation(async ({ ctx, input }) => {
    const parts = await addressParts(ctx);
    return inTransaction(ctx, async (scope) => {
      const issued = await issueAddress(ctx, scope, parts, input.label);
      await recordAudit(
        { ...ctx, db: scope.db },
        {
          action: "mail.address.create",
          entityType: "mail_address",
          entityId: issued.id,
          summary: { label: input.label },
        },
      );
      return issued;
    });
  }),

  /** Revokes an address and issues a new one with the same label, in one transaction. */
  rotateAddress: admin.input(z.object({ id: z.uuid() })).mutation(async ({ ctx, input }) => {
    const parts = await addressParts(ctx);
    return inTransaction(ctx, async (scope) => {
      const previousLabel = await mailAddressLabel(scope.db, input.id);
      await revokeMailAddress(scope.db, input.id);
      const issued = await issueAddress(ctx, scope, parts, previousLabel);
      await recordAudit(
        { ...ctx, db: scope.db },
        {
          action: "mail.address.rotate",
          entityType: "mail_address",
          entityId: issued.id,
          summary: { revoked: input.id, label: previousLabel },
        },
      );
      return issued;
    });
  }),

  revokeAddress: admin.input(z.object({ id: z.uuid() })).mutation(({ ctx, input }) =>
    inTransaction(ctx, async (scope) => {
      await revokeMailAddress(scope.db, input.id);
      await recordAudit(
        { ...ctx, db: scope.db },
        { action: "mail.address.revoke", entityType: "mail_address", entityId: input.id },
      );
      return { id: input.id };
    }),
  ),

  /** Replaces the sender allowlist; an empty list reads mail from anyone. */
  setAllowedSenders: admin
    .input(z.object({ patterns: z.array(senderPattern).max(200) }))
    .mutation(({ ctx, input }) =>
      inTransaction(ctx, async (scope) => {
        const patterns = [...new Set(input.patterns)];
        const before = (await listAllowedSenders(scope.db)).map((row) => row.pattern);
        await replaceAllowedSenders(scope.db, ctx.tenantId, patterns);
        await recordAudit(
          { ...ctx, db: scope.db },
          {
            action: "mail.senders.set",
            entityType: "mail_settings",
            entityId: null,
            summary: { before, after: patterns },
          },
        );
        return { patterns };
      }),
    ),

  /** Received messages, newest first; `onlyWithoutDocument` lists those that brought nothing. */
  messages: admin
    .input(
      z.object({
        onlyWithoutDocument: z.boolean().default(false),
        limit: z.number().int().min(1).max(200).default(50),
      }),
    )
    .query(({ ctx, input }) => inTransaction(ctx, ({ db }) => listMailMessages(db, input))),

  /** The message an invoice came in by, for its reviewer (null for an upload). */
  ofInvoice: can("invoice:read")
    .input(z.object({ invoiceId: z.uuid() }))
    .query(({ ctx, input }) => mailMessageOfInvoice(ctx.db, input.invoiceId)),
});
