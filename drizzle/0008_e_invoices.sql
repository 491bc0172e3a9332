ALTER TABLE "documents" DROP CONSTRAINT "documents_content_type_check";--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "amount_due" numeric(18, 2);--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_content_type_check" CHECK ("documents"."content_type" in ('application/pdf', 'image/jpeg', 'image/png', 'application/xml'));