import { type Database, members, users } from "@remit/db";
import { and, eq, inArray } from "drizzle-orm";
import type { Mailer } from "./mailer";
import type { NextStep } from "./next-step";

/*
 * Sends the mail of a step, after its transaction committed (never from inside it: a slow or
 * failing mail server must not hold or roll back the step). The addresses come from the tenant's
 * own memberships, read by tenant id on the platform tables, so nobody of another tenant is ever
 * a recipient. Failures are reported, not retried: a notification is a nudge, and the
 * "Waiting for me" queue in the app is the record.
 */

export interface Notifier {
  /** Starts sending; returns at once (the response does not wait for the mail server). */
  notify(tenantId: string, step: NextStep): void;
  /** Resolves once every mail started so far was sent or failed (tests, shutdown). */
  settled(): Promise<void>;
}

export function createNotifier(options: {
  db: Database;
  mailer: Mailer;
  /** The web app's origin, for the link to the invoice. */
  appUrl: string;
  onError?: (error: unknown) => void;
}): Notifier {
  const { db, mailer, appUrl } = options;
  const inFlight = new Set<Promise<void>>();
  async function send(tenantId: string, step: NextStep) {
    try {
      const people = await db
        .select({ userId: users.id, email: users.email, name: users.name, role: members.role })
        .from(members)
        .innerJoin(users, eq(users.id, members.userId))
        .where(
          and(
            eq(members.organizationId, tenantId),
            step.kind === "rejected"
              ? inArray(members.userId, step.to.length > 0 ? step.to : [crypto.randomUUID()])
              : inArray(members.role, step.roles),
          ),
        );
      const link = `${appUrl.replace(/\/$/, "")}/invoices/${step.invoiceId}`;
      for (const person of people) {
        if (step.kind !== "rejected" && step.exclude.includes(person.userId)) continue;
        const subject =
          step.kind === "verify"
            ? `${step.label} waits for your verification`
            : step.kind === "approve"
              ? `${step.label} waits for your approval`
              : `${step.label} was rejected`;
        const body =
          step.kind === "rejected"
            ? `Hello ${person.name},\n\n${step.label} was sent back to draft: ${step.reason}\n\nFix it and submit it again: ${link}\n`
            : `Hello ${person.name},\n\n${step.label} is waiting for you to ${step.kind} it:\n${link}\n\nYour queue: ${appUrl.replace(/\/$/, "")}/inbox?view=waiting\n`;
        await mailer.send({ to: person.email, subject, text: body });
      }
    } catch (error) {
      options.onError?.(error);
    }
  }
  return {
    notify(tenantId, step) {
      const sending = send(tenantId, step).finally(() => inFlight.delete(sending));
      inFlight.add(sending);
    },
    async settled() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}
