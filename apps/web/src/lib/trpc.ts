import type { AppRouter } from "@remit/client";
import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  TRPCClientError,
} from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import superjson from "superjson";

export type Outputs = inferRouterOutputs<AppRouter>;
export type Inputs = inferRouterInputs<AppRouter>;
export type InvoiceDetail = Outputs["invoice"]["get"];
export type InvoiceRow = Outputs["invoice"]["list"]["items"][number];
export type InvoiceStatus = InvoiceRow["status"];
export type Role = Outputs["tenant"]["current"]["role"];

/*
 * `useTRPC()` hands out query and mutation options (`trpc.invoice.get.queryOptions(...)`) and
 * keys (`trpc.invoice.pathFilter()`) for TanStack Query's own hooks and QueryClient.
 */
export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

/*
 * Same-origin only: the session cookie carries the caller and the active tenant, so every link
 * uses a relative URL. Subscriptions go over Server-Sent Events (the browser's EventSource sends
 * the cookie by itself); everything else is batched.
 */
const links = [
  splitLink({
    condition: (op) => op.type === "subscription",
    true: httpSubscriptionLink({ url: "/api/trpc", transformer: superjson }),
    // At most 20 calls a request: the server refuses larger batches (apps/api maxBatchSize).
    false: httpBatchLink({ url: "/api/trpc", transformer: superjson, maxItems: 20 }),
  }),
];

/**
 * The one client: given to the provider, and called directly outside React's tree, e.g. while
 * the tenant subtree is unmounted during a switch.
 */
export const trpcClient = createTRPCClient<AppRouter>({ links });

export { TRPCClientError };
