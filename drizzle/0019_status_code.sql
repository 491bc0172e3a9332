-- The status tab as a number the planner can use under RLS (issue [6/7] item 2).
-- An enum's `=` (enum_eq) is not LEAKPROOF, so as remit_app `status = 'verified'` can never be
-- an index condition: the policy's qual runs first and the status is a filter. A tab under a
-- column sort then walks the tenant's whole (tenant_id, column, id) index until a page of that
-- status turns up (85,000 rows for a rare status whose amounts all sit at one end). smallint's
-- `=` is LEAKPROOF, so `status_code = n` is an index condition on the indexes below.
-- The numbers are packages/api/src/queries/status-code.ts's; a test reads every enum value back.
ALTER TABLE invoices ADD COLUMN status_code smallint GENERATED ALWAYS AS (
  CASE status
    WHEN 'draft' THEN 1
    WHEN 'pending_verification' THEN 2
    WHEN 'verified' THEN 3
    WHEN 'approved_to_ap' THEN 4
    -- 'paid' (drizzle/0015): PostgreSQL refuses to name an enum value added in the same
    -- transaction (55P04), and the migrations run in one. status-code.test fails if a new
    -- status ever lands here instead of getting its own number.
    ELSE 5
  END
) STORED;--> statement-breakpoint

-- The status indexes of 0012 and 0016 served only as-owner plans; these replace them. (0000's
-- invoices_tenant_status_idx is declared in the Drizzle schema and stays.)
DROP INDEX IF EXISTS invoices_tenant_creator_status_idx;--> statement-breakpoint
DROP INDEX IF EXISTS invoices_tenant_status_invoice_date_idx;--> statement-breakpoint
DROP INDEX IF EXISTS invoices_tenant_status_due_date_idx;--> statement-breakpoint
DROP INDEX IF EXISTS invoices_tenant_status_total_cents_idx;--> statement-breakpoint
CREATE INDEX invoices_tenant_status_code_created_at_idx
  ON invoices (tenant_id, status_code, created_at DESC NULLS FIRST, id DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX invoices_tenant_creator_status_code_idx
  ON invoices (tenant_id, created_by, status_code, created_at DESC NULLS FIRST, id DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX invoices_tenant_status_code_invoice_date_idx ON invoices (tenant_id, status_code, invoice_date, id);--> statement-breakpoint
CREATE INDEX invoices_tenant_status_code_due_date_idx ON invoices (tenant_id, status_code, due_date, id);--> statement-breakpoint
CREATE INDEX invoices_tenant_status_code_total_cents_idx ON invoices (tenant_id, status_code, total_cents, id);
