CREATE TABLE "supplier_layouts" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"supplier_id" uuid NOT NULL,
	"layout" jsonb NOT NULL,
	"ibans" text[] DEFAULT '{}'::text[] NOT NULL,
	"learned_from_invoice_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "supplier_layouts_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "supplier_layouts_supplier_unique" UNIQUE("tenant_id","supplier_id")
);
--> statement-breakpoint
ALTER TABLE "supplier_layouts" ADD CONSTRAINT "supplier_layouts_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supplier_layouts" ADD CONSTRAINT "supplier_layouts_supplier_fk" FOREIGN KEY ("tenant_id","supplier_id") REFERENCES "public"."suppliers"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "supplier_layouts_ibans_idx" ON "supplier_layouts" USING gin ("ibans");--> statement-breakpoint
-- Bounded: a layout is a few labels per field, a supplier prints a handful of IBANs.
ALTER TABLE "supplier_layouts" ADD CONSTRAINT "supplier_layouts_layout_size" CHECK (jsonb_typeof("layout") = 'object' AND octet_length("layout"::text) <= 16384);--> statement-breakpoint
ALTER TABLE "supplier_layouts" ADD CONSTRAINT "supplier_layouts_ibans_count" CHECK (cardinality("ibans") <= 20);--> statement-breakpoint
-- Tenant data like every tenant table (see 0001): RLS forced, one isolation policy for
-- remit_app comparing tenant_id with the request's tenant, USING and WITH CHECK alike.
ALTER TABLE supplier_layouts ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE supplier_layouts FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation_supplier_layouts ON supplier_layouts AS PERMISSIVE FOR ALL TO remit_app
  USING (tenant_id = (SELECT current_tenant_id()))
  WITH CHECK (tenant_id = (SELECT current_tenant_id()));--> statement-breakpoint
REVOKE ALL ON supplier_layouts FROM PUBLIC;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON supplier_layouts TO remit_app;
