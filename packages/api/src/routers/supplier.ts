import { z } from "zod";
import { recordAudit } from "../audit";
import { layoutOf } from "../queries/supplier-layouts";
import {
  adoptGlobalSupplier,
  createSupplier,
  deleteSupplier,
  getSupplier,
  listSuppliers,
  updateSupplier,
} from "../queries/suppliers";
import { can, router } from "../trpc";

const id = z.uuid();
const fields = z.object({
  name: z.string().trim().min(1, "a supplier needs a name").max(300),
  taxId: z.string().trim().max(50).nullable().optional(),
  email: z.email().nullable().optional(),
  address: z.string().trim().max(1000).nullable().optional(),
  /** Where payments go: changing these flags every unapproved invoice of the supplier. */
  bankAccount: z.string().trim().max(64).nullable().optional(),
  bankCode: z.string().trim().max(32).nullable().optional(),
});

export const supplierRouter = router({
  list: can("supplier:read")
    .input(
      z.object({ limit: z.number().int().min(1).max(500).default(100) }).default({ limit: 100 }),
    )
    .query(({ ctx, input }) => listSuppliers(ctx.db, input)),

  search: can("supplier:read")
    .input(
      z.object({
        q: z.string().trim().min(1).max(200),
        limit: z.number().int().min(1).max(50).default(20),
      }),
    )
    .query(({ ctx, input }) => listSuppliers(ctx.db, input)),

  get: can("supplier:read")
    .input(z.object({ id }))
    .query(({ ctx, input }) => getSupplier(ctx.db, input.id)),

  create: can("supplier:write")
    .input(fields.extend({ globalSupplierId: z.uuid().optional() }))
    .mutation(async ({ ctx, input }) => {
      const created = await createSupplier(ctx.db, ctx.tenantId, input);
      await recordAudit(ctx, {
        action: "supplier.create",
        entityType: "supplier",
        entityId: created?.id ?? null,
        summary: { after: { name: input.name } },
      });
      return created;
    }),

  /**
   * The supplier to put on an invoice: a tenant supplier as it is; a global one as the tenant's
   * copy, made on first use in this one transaction (so two clicks, or a click and the OCR
   * worker, still make one copy). The copy is audited; reusing an existing one writes nothing.
   */
  adopt: can("supplier:write")
    .input(z.object({ id }))
    .mutation(async ({ ctx, input }) => {
      const { supplier, copied } = await adoptGlobalSupplier(ctx.db, ctx.tenantId, input.id);
      if (copied) {
        await recordAudit(ctx, {
          action: "supplier.adopt",
          entityType: "supplier",
          entityId: supplier.id,
          summary: { after: { name: supplier.name }, globalSupplierId: input.id },
        });
      }
      return { ...supplier, copied };
    }),

  update: can("supplier:write")
    .input(z.object({ id, data: fields.partial() }))
    .mutation(async ({ ctx, input }) => {
      const { before, after } = await updateSupplier(ctx.db, input.id, input.data);
      await recordAudit(ctx, {
        action: "supplier.update",
        entityType: "supplier",
        entityId: input.id,
        summary: {
          before: { name: before.name, bankAccount: before.bankAccount, bankCode: before.bankCode },
          after: { name: after.name, bankAccount: after.bankAccount, bankCode: after.bankCode },
        },
      });
      return after;
    }),

  delete: can("supplier:write")
    .input(z.object({ id }))
    .mutation(async ({ ctx, input }) => {
      // Its memory (supplier_layouts) goes with it, by the cascading foreign key; the audit says so.
      const memory = await layoutOf(ctx.db, input.id);
      const before = await deleteSupplier(ctx.db, input.id);
      await recordAudit(ctx, {
        action: "supplier.delete",
        entityType: "supplier",
        entityId: input.id,
        summary: { before: { name: before.name }, memoryDeleted: memory !== null },
      });
      return { id: input.id };
    }),
});
