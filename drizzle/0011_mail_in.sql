-- [3/7] E-mail in: inbound addresses, the sender allowlist, received messages and what became
-- of each attachment. Tenant tables like any other: composite keys and foreign keys, RLS enabled
-- and forced, one tenant_isolation policy each.
CREATE TABLE "mail_addresses" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"token_hash" text NOT NULL,
	"token_hint" text NOT NULL,
	"label" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "mail_addresses_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "mail_addresses_token_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "mail_addresses_token_hash_hex" CHECK ("token_hash" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "mail_addresses_status_check" CHECK ("status" in ('active', 'revoked')),
	CONSTRAINT "mail_addresses_label_bound" CHECK (length("label") <= 100)
);
--> statement-breakpoint
CREATE TABLE "mail_allowed_senders" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"pattern" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mail_allowed_senders_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "mail_allowed_senders_tenant_pattern_unique" UNIQUE("tenant_id","pattern")
);
--> statement-breakpoint
CREATE TABLE "mail_messages" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"address_id" uuid NOT NULL,
	"sender" text NOT NULL,
	"envelope_sender" text,
	"subject" text DEFAULT '' NOT NULL,
	"body_text" text DEFAULT '' NOT NULL,
	"message_id_header" text,
	"outcome" text NOT NULL,
	"attachment_count" integer DEFAULT 0 NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mail_messages_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "mail_messages_outcome_check" CHECK ("outcome" in ('ingested', 'no_document', 'sender_not_allowed')),
	CONSTRAINT "mail_messages_body_bound" CHECK (length("body_text") <= 20000),
	CONSTRAINT "mail_messages_subject_bound" CHECK (length("subject") <= 500)
);
--> statement-breakpoint
CREATE TABLE "mail_attachments" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"message_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"filename" text,
	"declared_type" text,
	"byte_size" bigint NOT NULL,
	"outcome" text NOT NULL,
	"reason" text,
	"invoice_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mail_attachments_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "mail_attachments_message_position_unique" UNIQUE("tenant_id","message_id","position"),
	CONSTRAINT "mail_attachments_outcome_check" CHECK ("outcome" in ('created', 'duplicate', 'refused'))
);
--> statement-breakpoint
ALTER TABLE "mail_addresses" ADD CONSTRAINT "mail_addresses_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_allowed_senders" ADD CONSTRAINT "mail_allowed_senders_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_messages" ADD CONSTRAINT "mail_messages_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_messages" ADD CONSTRAINT "mail_messages_address_fk" FOREIGN KEY ("tenant_id","address_id") REFERENCES "public"."mail_addresses"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_attachments" ADD CONSTRAINT "mail_attachments_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_attachments" ADD CONSTRAINT "mail_attachments_message_fk" FOREIGN KEY ("tenant_id","message_id") REFERENCES "public"."mail_messages"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- A deleted draft leaves the attachment's record (what came in, and that it was read) in place.
ALTER TABLE "mail_attachments" ADD CONSTRAINT "mail_attachments_invoice_fk" FOREIGN KEY ("tenant_id","invoice_id") REFERENCES "public"."invoices"("tenant_id","id") ON DELETE SET NULL ("invoice_id") ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mail_addresses_tenant_id_idx" ON "mail_addresses" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "mail_allowed_senders_tenant_id_idx" ON "mail_allowed_senders" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "mail_messages_tenant_received_idx" ON "mail_messages" USING btree ("tenant_id","received_at");--> statement-breakpoint
CREATE INDEX "mail_messages_address_idx" ON "mail_messages" USING btree ("tenant_id","address_id");--> statement-breakpoint
CREATE INDEX "mail_attachments_invoice_idx" ON "mail_attachments" USING btree ("tenant_id","invoice_id");--> statement-breakpoint
ALTER TABLE mail_addresses ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE mail_addresses FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE mail_allowed_senders ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE mail_allowed_senders FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE mail_messages ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE mail_messages FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE mail_attachments ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE mail_attachments FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation_mail_addresses ON mail_addresses AS PERMISSIVE FOR ALL TO remit_app
  USING (tenant_id = (SELECT current_tenant_id()))
  WITH CHECK (tenant_id = (SELECT current_tenant_id()));
--> statement-breakpoint
CREATE POLICY tenant_isolation_mail_allowed_senders ON mail_allowed_senders AS PERMISSIVE FOR ALL TO remit_app
  USING (tenant_id = (SELECT current_tenant_id()))
  WITH CHECK (tenant_id = (SELECT current_tenant_id()));
--> statement-breakpoint
CREATE POLICY tenant_isolation_mail_messages ON mail_messages AS PERMISSIVE FOR ALL TO remit_app
  USING (tenant_id = (SELECT current_tenant_id()))
  WITH CHECK (tenant_id = (SELECT current_tenant_id()));
--> statement-breakpoint
CREATE POLICY tenant_isolation_mail_attachments ON mail_attachments AS PERMISSIVE FOR ALL TO remit_app
  USING (tenant_id = (SELECT current_tenant_id()))
  WITH CHECK (tenant_id = (SELECT current_tenant_id()));
--> statement-breakpoint
REVOKE ALL ON mail_addresses, mail_allowed_senders, mail_messages, mail_attachments FROM PUBLIC;
--> statement-breakpoint
-- Addresses are never deleted (revoked instead: old messages keep pointing at them); received
-- messages and attachment records are what happened, appended only.
GRANT SELECT, INSERT, UPDATE ON mail_addresses TO remit_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON mail_allowed_senders TO remit_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON mail_messages, mail_attachments TO remit_app;
--> statement-breakpoint
-- The one point of trust for inbound mail: before any tenant is known, the SMTP listener asks
-- which tenant an address belongs to. It gets a tenant id and an address id for an active
-- address of an active tenant whose slug and token hash both match, and nothing otherwise: no
-- row, no label, no hint of whether the slug or the token was wrong. Everything after it runs
-- under withTenant as that tenant.
CREATE FUNCTION public.resolve_mail_address(slug text, token_hash text)
  RETURNS TABLE (tenant_id uuid, address_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT a.tenant_id, a.id
    FROM public.mail_addresses a
    JOIN public.tenants t ON t.id = a.tenant_id
   WHERE a.token_hash = resolve_mail_address.token_hash
     AND t.slug = resolve_mail_address.slug
     AND a.status = 'active'
     AND t.status = 'active'
   LIMIT 1
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.resolve_mail_address(text, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.resolve_mail_address(text, text) TO remit_app;
