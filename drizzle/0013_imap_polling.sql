-- [3/7] E-mail in by IMAP polling: a mailbox Remit logs in to, per tenant, for teams that cannot
-- point mail at Remit. A tenant table like any other (composite keys, RLS enabled and forced, one
-- tenant_isolation policy). The password is stored sealed (AES-256-GCM, under a key the database
-- never sees). Messages polled from it are recorded in mail_messages like SMTP ones, with the
-- folder's UIDVALIDITY and the message's UID, which makes an import happen once.
CREATE TABLE "mail_imap_mailboxes" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"label" text DEFAULT '' NOT NULL,
	"host" text NOT NULL,
	"port" integer NOT NULL,
	"tls_mode" text DEFAULT 'implicit' NOT NULL,
	"username" text NOT NULL,
	"password_sealed" text NOT NULL,
	"folder" text DEFAULT 'INBOX' NOT NULL,
	"processed_folder" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"uid_validity" bigint,
	"last_uid" bigint DEFAULT 0 NOT NULL,
	"last_poll_at" timestamp with time zone,
	"last_error" text,
	"failures" integer DEFAULT 0 NOT NULL,
	"next_poll_at" timestamp with time zone DEFAULT now() NOT NULL,
	"imported_count" integer DEFAULT 0 NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mail_imap_mailboxes_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "mail_imap_mailboxes_tls_check" CHECK ("mail_imap_mailboxes"."tls_mode" in ('implicit', 'starttls', 'none')),
	CONSTRAINT "mail_imap_mailboxes_port_check" CHECK ("mail_imap_mailboxes"."port" between 1 and 65535),
	CONSTRAINT "mail_imap_mailboxes_label_bound" CHECK (length("mail_imap_mailboxes"."label") <= 100),
	CONSTRAINT "mail_imap_mailboxes_host_bound" CHECK (length("mail_imap_mailboxes"."host") between 1 and 253),
	CONSTRAINT "mail_imap_mailboxes_username_bound" CHECK (length("mail_imap_mailboxes"."username") between 1 and 320),
	CONSTRAINT "mail_imap_mailboxes_folder_bound" CHECK (length("mail_imap_mailboxes"."folder") between 1 and 200 and length(coalesce("mail_imap_mailboxes"."processed_folder", '')) <= 200),
	CONSTRAINT "mail_imap_mailboxes_error_bound" CHECK (length(coalesce("mail_imap_mailboxes"."last_error", '')) <= 500)
);
--> statement-breakpoint
ALTER TABLE "mail_imap_mailboxes" ADD CONSTRAINT "mail_imap_mailboxes_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mail_imap_mailboxes_tenant_id_idx" ON "mail_imap_mailboxes" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "mail_imap_mailboxes_due_idx" ON "mail_imap_mailboxes" USING btree ("next_poll_at");--> statement-breakpoint
-- A message came to an address (SMTP) or from a mailbox (IMAP): address_id may now be null.
ALTER TABLE "mail_messages" ALTER COLUMN "address_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "mail_messages" ADD COLUMN "imap_mailbox_id" uuid;--> statement-breakpoint
ALTER TABLE "mail_messages" ADD COLUMN "imap_uid_validity" bigint;--> statement-breakpoint
ALTER TABLE "mail_messages" ADD COLUMN "imap_uid" bigint;--> statement-breakpoint
ALTER TABLE "mail_messages" ADD CONSTRAINT "mail_messages_imap_uid_unique" UNIQUE("tenant_id","imap_mailbox_id","imap_uid_validity","imap_uid");--> statement-breakpoint
ALTER TABLE "mail_messages" ADD CONSTRAINT "mail_messages_source_check" CHECK ("mail_messages"."address_id" is not null or ("mail_messages"."imap_uid_validity" is not null and "mail_messages"."imap_uid" is not null));--> statement-breakpoint
-- A deleted mailbox leaves its messages (what came in, and what became of it) in place.
ALTER TABLE "mail_messages" ADD CONSTRAINT "mail_messages_imap_mailbox_fk" FOREIGN KEY ("tenant_id","imap_mailbox_id") REFERENCES "public"."mail_imap_mailboxes"("tenant_id","id") ON DELETE SET NULL ("imap_mailbox_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE mail_imap_mailboxes ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE mail_imap_mailboxes FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation_mail_imap_mailboxes ON mail_imap_mailboxes AS PERMISSIVE FOR ALL TO remit_app
  USING (tenant_id = (SELECT current_tenant_id()))
  WITH CHECK (tenant_id = (SELECT current_tenant_id()));
--> statement-breakpoint
REVOKE ALL ON mail_imap_mailboxes FROM PUBLIC;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON mail_imap_mailboxes TO remit_app;
--> statement-breakpoint
-- The poller's one look across tenants: which enabled mailboxes of active tenants are due, as
-- (tenant id, mailbox id) pairs, soonest first, at most max_rows. Nothing else: no host, no user,
-- no sealed password. Everything after it (reading the row, logging in, importing, recording the
-- result) runs under withTenant as that tenant.
CREATE FUNCTION public.due_imap_mailboxes(max_rows integer)
  RETURNS TABLE (tenant_id uuid, mailbox_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT m.tenant_id, m.id
    FROM public.mail_imap_mailboxes m
    JOIN public.tenants t ON t.id = m.tenant_id
   WHERE m.enabled
     AND m.next_poll_at <= now()
     AND t.status = 'active'
   ORDER BY m.next_poll_at
   LIMIT least(greatest(max_rows, 0), 1000)
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.due_imap_mailboxes(integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.due_imap_mailboxes(integer) TO remit_app;
--> statement-breakpoint
-- The isolation monitor's probe (drizzle/0005) learns the mail tables: another tenant's mail
-- address or IMAP mailbox id sent to a mail procedure is recorded as a cross-tenant probe, like
-- an invoice id. Otherwise unchanged: one boolean for one (table from a fixed list, id) pair.
CREATE OR REPLACE FUNCTION public.id_exists_in_other_tenant(target_table text, target_id uuid)
  RETURNS boolean
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  bound constant uuid := public.current_tenant_id();
  actor constant uuid := public.current_app_user_id();
  owner_tenant uuid;
BEGIN
  IF target_id IS NULL THEN
    RETURN false;
  END IF;
  CASE target_table
    WHEN 'invoices' THEN
      SELECT x.tenant_id INTO owner_tenant FROM public.invoices x WHERE x.id = target_id;
    WHEN 'suppliers' THEN
      SELECT x.tenant_id INTO owner_tenant FROM public.suppliers x WHERE x.id = target_id;
    WHEN 'invoice_comments' THEN
      SELECT x.tenant_id INTO owner_tenant FROM public.invoice_comments x WHERE x.id = target_id;
    WHEN 'documents' THEN
      SELECT x.tenant_id INTO owner_tenant FROM public.documents x WHERE x.id = target_id;
    WHEN 'ocr_jobs' THEN
      SELECT x.tenant_id INTO owner_tenant FROM public.ocr_jobs x WHERE x.id = target_id;
    WHEN 'members' THEN
      SELECT x.organization_id INTO owner_tenant FROM public.members x WHERE x.id = target_id;
    WHEN 'tenants' THEN
      SELECT x.id INTO owner_tenant FROM public.tenants x WHERE x.id = target_id;
    WHEN 'mail_addresses' THEN
      SELECT x.tenant_id INTO owner_tenant FROM public.mail_addresses x WHERE x.id = target_id;
    WHEN 'mail_imap_mailboxes' THEN
      SELECT x.tenant_id INTO owner_tenant FROM public.mail_imap_mailboxes x WHERE x.id = target_id;
    ELSE
      RAISE EXCEPTION 'not a table the monitor may probe' USING ERRCODE = '22023';
  END CASE;
  RETURN owner_tenant IS NOT NULL
     AND owner_tenant IS DISTINCT FROM bound
     AND NOT EXISTS (SELECT 1 FROM public.members m
                      WHERE m.organization_id = owner_tenant AND m.user_id = actor);
END
$$;
