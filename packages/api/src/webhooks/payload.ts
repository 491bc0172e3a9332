/*
 * The JSON a receiver gets (docs/webhooks.md), in a documented key order. The event is stored
 * as jsonb, which keeps no key order; the body is rebuilt here in the documented order and
 * signed exactly as sent, so every attempt of an event sends the same bytes.
 */

export interface WebhookInvoiceData {
  invoiceId: string;
  invoiceNumber: string | null;
  supplierName: string | null;
  /** Decimal string, like the API ("1234.50"). */
  total: string | null;
  currency: string | null;
  status: string;
  previousStatus: string;
}

export interface WebhookPayload {
  id: string;
  type: string;
  occurredAt: string;
  tenantId: string;
  data: WebhookInvoiceData | { endpointId: string };
}

const invoiceKeys = [
  "invoiceId",
  "invoiceNumber",
  "supplierName",
  "total",
  "currency",
  "status",
  "previousStatus",
] as const;

function ordered(source: Record<string, unknown>, keys: readonly string[]) {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (key in source) out[key] = source[key];
  // Anything a later migration adds goes after the documented keys, never dropped.
  for (const key of Object.keys(source).sort()) if (!(key in out)) out[key] = source[key];
  return out;
}

export function webhookBody(stored: unknown): string {
  const event = (stored ?? {}) as Record<string, unknown>;
  const data = (event.data ?? {}) as Record<string, unknown>;
  const body = ordered(
    { ...event, data: ordered(data, "invoiceId" in data ? invoiceKeys : ["endpointId"]) },
    ["id", "type", "occurredAt", "tenantId", "data"],
  );
  return JSON.stringify(body);
}
