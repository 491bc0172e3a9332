CREATE TABLE "webhook_deliveries" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"endpoint_id" uuid NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"attempt_base" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_attempt_at" timestamp with time zone,
	"last_status_code" integer,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "webhook_deliveries_status_check" CHECK ("webhook_deliveries"."status" in ('pending', 'delivered', 'failed', 'dead')),
	CONSTRAINT "webhook_deliveries_error_bound" CHECK (length("webhook_deliveries"."last_error") <= 300),
	CONSTRAINT "webhook_deliveries_attempts_check" CHECK ("webhook_deliveries"."attempts" >= "webhook_deliveries"."attempt_base")
);
--> statement-breakpoint
CREATE TABLE "webhook_endpoints" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"url" text NOT NULL,
	"events" text[] NOT NULL,
	"secret_ciphertext" text NOT NULL,
	"secret_hint" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_endpoints_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "webhook_endpoints_url_shape" CHECK ("webhook_endpoints"."url" ~ '^https?://' AND length("webhook_endpoints"."url") <= 2000),
	CONSTRAINT "webhook_endpoints_events_check" CHECK (cardinality("webhook_endpoints"."events") between 1 and 4 AND "webhook_endpoints"."events" <@ ARRAY['invoice.submitted', 'invoice.approved', 'invoice.rejected', 'invoice.paid']::text[]),
	CONSTRAINT "webhook_endpoints_description_bound" CHECK (length("webhook_endpoints"."description") <= 200)
);
--> statement-breakpoint
CREATE TABLE "webhook_events" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"type" text NOT NULL,
	"invoice_id" uuid,
	"payload" jsonb NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_events_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "webhook_events_type_check" CHECK ("webhook_events"."type" in ('invoice.submitted', 'invoice.approved', 'invoice.rejected', 'invoice.paid', 'webhook.ping'))
);
--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_event_fk" FOREIGN KEY ("tenant_id","event_id") REFERENCES "public"."webhook_events"("tenant_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_endpoint_fk" FOREIGN KEY ("tenant_id","endpoint_id") REFERENCES "public"."webhook_endpoints"("tenant_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "webhook_events" ADD CONSTRAINT "webhook_events_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "webhook_deliveries_endpoint_idx" ON "webhook_deliveries" USING btree ("tenant_id","endpoint_id","created_at");
--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" USING btree ("next_attempt_at") WHERE "webhook_deliveries"."status" in ('pending', 'failed');
--> statement-breakpoint
CREATE INDEX "webhook_endpoints_tenant_id_idx" ON "webhook_endpoints" USING btree ("tenant_id");
--> statement-breakpoint
CREATE INDEX "webhook_events_tenant_occurred_idx" ON "webhook_events" USING btree ("tenant_id","occurred_at");
--> statement-breakpoint

-- [5/7] Tenant webhooks (docs/webhooks.md), hand-written below. Three tenant tables like any
-- other: composite keys and foreign keys, RLS enabled and forced, one tenant_isolation policy
-- each. Endpoints are the tenant admin's to write; events are appended by the invoice trigger
-- below only (remit_app may not update or delete them); deliveries are appended by that trigger
-- and updated by the dispatcher and by an admin's "redeliver".
ALTER TABLE webhook_endpoints ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE webhook_endpoints FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE webhook_events ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE webhook_events FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE webhook_deliveries ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE webhook_deliveries FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation_webhook_endpoints ON webhook_endpoints AS PERMISSIVE FOR ALL TO remit_app
  USING (tenant_id = (SELECT current_tenant_id()))
  WITH CHECK (tenant_id = (SELECT current_tenant_id()));
--> statement-breakpoint
CREATE POLICY tenant_isolation_webhook_events ON webhook_events AS PERMISSIVE FOR ALL TO remit_app
  USING (tenant_id = (SELECT current_tenant_id()))
  WITH CHECK (tenant_id = (SELECT current_tenant_id()));
--> statement-breakpoint
CREATE POLICY tenant_isolation_webhook_deliveries ON webhook_deliveries AS PERMISSIVE FOR ALL TO remit_app
  USING (tenant_id = (SELECT current_tenant_id()))
  WITH CHECK (tenant_id = (SELECT current_tenant_id()));
--> statement-breakpoint
-- Endpoints are written by the tenant's admins only, in their own name. Every member's
-- transaction may read them: the invoice trigger fans an event out to the subscribed endpoints
-- in whoever's transaction moved the invoice (the secret is encrypted with a key the database
-- never sees, and the API shows endpoints to admins only).
CREATE POLICY webhook_endpoints_admin_insert ON webhook_endpoints AS RESTRICTIVE FOR INSERT TO remit_app
  WITH CHECK ((SELECT current_app_role()) = 'admin' AND created_by = (SELECT current_app_user_id()));
--> statement-breakpoint
CREATE POLICY webhook_endpoints_admin_update ON webhook_endpoints AS RESTRICTIVE FOR UPDATE TO remit_app
  USING ((SELECT current_app_role()) = 'admin');
--> statement-breakpoint
CREATE POLICY webhook_endpoints_admin_delete ON webhook_endpoints AS RESTRICTIVE FOR DELETE TO remit_app
  USING ((SELECT current_app_role()) = 'admin');
--> statement-breakpoint
REVOKE ALL ON webhook_endpoints, webhook_events, webhook_deliveries FROM PUBLIC;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_endpoints TO remit_app;
--> statement-breakpoint
-- What happened is appended, never changed.
GRANT SELECT, INSERT ON webhook_events TO remit_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON webhook_deliveries TO remit_app;
--> statement-breakpoint

-- The outbox: an invoice's status change and its webhook event commit together or not at all.
-- It runs with the caller's rights (remit_app, in the caller's tenant), so RLS checks that the
-- event and deliveries are the invoice's own tenant's. The event type follows the new status;
-- the CASE is on text so that a status this database does not have yet ('paid') is harmless
-- until a migration adds it. A return to draft from review is a rejection; approved_to_ap is
-- reached only when the approval policy is met (the lifecycle trigger checks), which is when
-- the invoice locks. Nobody subscribed: nothing is written. The NOTIFY is sent at commit and
-- wakes the dispatcher; a rolled-back change sends nothing.
CREATE OR REPLACE FUNCTION public.invoices_webhook_outbox() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  event_type text;
  event_id uuid := gen_random_uuid();
  supplier_name text;
BEGIN
  event_type := CASE NEW.status::text
    WHEN 'pending_verification' THEN 'invoice.submitted'
    WHEN 'approved_to_ap' THEN 'invoice.approved'
    WHEN 'paid' THEN 'invoice.paid'
    WHEN 'draft' THEN
      CASE WHEN OLD.status::text IN ('pending_verification', 'verified') THEN 'invoice.rejected' END
    ELSE NULL
  END;
  IF event_type IS NULL OR NOT EXISTS (
    SELECT 1 FROM public.webhook_endpoints e
     WHERE e.tenant_id = NEW.tenant_id AND e.enabled AND event_type = ANY (e.events)) THEN
    RETURN NULL;
  END IF;
  SELECT s.name INTO supplier_name FROM public.suppliers s WHERE s.id = NEW.supplier_id;
  INSERT INTO public.webhook_events (tenant_id, id, type, invoice_id, payload)
  VALUES (NEW.tenant_id, event_id, event_type, NEW.id, jsonb_build_object(
    'id', event_id,
    'type', event_type,
    'occurredAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'tenantId', NEW.tenant_id,
    'data', jsonb_build_object(
      'invoiceId', NEW.id,
      'invoiceNumber', NEW.invoice_number,
      'supplierName', supplier_name,
      'total', NEW.total::text,
      'currency', NEW.currency,
      'status', NEW.status::text,
      'previousStatus', OLD.status::text)));
  INSERT INTO public.webhook_deliveries (tenant_id, event_id, endpoint_id)
  SELECT NEW.tenant_id, event_id, e.id FROM public.webhook_endpoints e
   WHERE e.tenant_id = NEW.tenant_id AND e.enabled AND event_type = ANY (e.events);
  PERFORM pg_notify('remit_webhooks', '');
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER invoices_webhook_outbox AFTER UPDATE OF status ON invoices
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION public.invoices_webhook_outbox();
--> statement-breakpoint

-- The dispatcher's claim, before any tenant is known: up to p_limit due deliveries of enabled
-- endpoints, oldest first, each leased by pushing next_attempt_at p_lease_seconds past p_now and
-- counting the attempt. A dispatcher that dies after its POST leaves the row to come due again
-- when the lease ends, and it is sent again: at least once, receivers de-duplicate by event id.
-- A row whose retry budget is spent (its last attempt's dispatcher died) is marked dead here.
-- It returns ids and the attempt number only; the dispatcher reads the rest under withTenant.
-- p_now is the dispatcher's clock (one process runs it: the periodic runner's leader), so that
-- tests can move time forward instead of sleeping; it never counts for less than the database's
-- own now(), which stamped the rows: a dispatcher clock a little behind the server's would
-- otherwise leave a just-committed delivery "not yet due" until the next wake-up.
CREATE OR REPLACE FUNCTION public.claim_webhook_deliveries(
  p_limit integer, p_lease_seconds integer, p_max_attempts integer, p_now timestamptz)
  RETURNS TABLE (tenant_id uuid, delivery_id uuid, attempt integer)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
#variable_conflict use_column
DECLARE
  v_now timestamptz := greatest(p_now, now());
BEGIN
  IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 100 THEN
    RAISE EXCEPTION 'p_limit must be 1-100' USING ERRCODE = '22023';
  END IF;
  IF p_lease_seconds IS NULL OR p_lease_seconds NOT BETWEEN 1 AND 3600 THEN
    RAISE EXCEPTION 'p_lease_seconds must be 1-3600' USING ERRCODE = '22023';
  END IF;
  IF p_max_attempts IS NULL OR p_max_attempts NOT BETWEEN 1 AND 50 THEN
    RAISE EXCEPTION 'p_max_attempts must be 1-50' USING ERRCODE = '22023';
  END IF;
  IF p_now IS NULL THEN
    RAISE EXCEPTION 'p_now is required' USING ERRCODE = '22023';
  END IF;
  RETURN QUERY
  WITH due AS (
    SELECT d.tenant_id, d.id, d.attempts - d.attempt_base AS spent
      FROM public.webhook_deliveries d
      JOIN public.webhook_endpoints e ON e.tenant_id = d.tenant_id AND e.id = d.endpoint_id
     WHERE d.status IN ('pending', 'failed') AND d.next_attempt_at <= v_now AND e.enabled
     ORDER BY d.next_attempt_at
     LIMIT p_limit
       FOR UPDATE OF d SKIP LOCKED
  ), spent AS (
    UPDATE public.webhook_deliveries d
       SET status = 'dead', updated_at = now(),
           last_error = 'the dispatcher stopped during the last attempt; given up'
      FROM due WHERE d.tenant_id = due.tenant_id AND d.id = due.id AND due.spent >= p_max_attempts
  ), claimed AS (
    UPDATE public.webhook_deliveries d
       SET attempts = d.attempts + 1, last_attempt_at = v_now, updated_at = now(),
           next_attempt_at = v_now + make_interval(secs => p_lease_seconds)
      FROM due WHERE d.tenant_id = due.tenant_id AND d.id = due.id AND due.spent < p_max_attempts
    RETURNING d.tenant_id, d.id, d.attempts
  )
  SELECT c.tenant_id, c.id, c.attempts FROM claimed c;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.claim_webhook_deliveries(integer, integer, integer, timestamptz) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.claim_webhook_deliveries(integer, integer, integer, timestamptz) TO remit_app;
--> statement-breakpoint

-- The isolation monitor's probe (0005, mail tables since 0013), with the webhook tables added: an admin naming another
-- tenant's endpoint or delivery id is probing like one naming another tenant's invoice.
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
    WHEN 'webhook_endpoints' THEN
      SELECT x.tenant_id INTO owner_tenant FROM public.webhook_endpoints x WHERE x.id = target_id LIMIT 1;
    WHEN 'webhook_deliveries' THEN
      SELECT x.tenant_id INTO owner_tenant FROM public.webhook_deliveries x WHERE x.id = target_id LIMIT 1;
    ELSE
      RAISE EXCEPTION 'not a table the monitor may probe' USING ERRCODE = '22023';
  END CASE;
  RETURN owner_tenant IS NOT NULL
     AND owner_tenant IS DISTINCT FROM bound
     AND NOT EXISTS (SELECT 1 FROM public.members m
                      WHERE m.organization_id = owner_tenant AND m.user_id = actor);
END
$$;
