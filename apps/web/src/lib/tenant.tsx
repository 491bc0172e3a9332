import type { Permission } from "@remit/rules";
import { createContext, useContext } from "react";
import type { SessionUser } from "./auth";
import type { Outputs } from "./trpc";

export type CurrentTenant = Outputs["tenant"]["current"];
export type MyTenant = Outputs["tenant"]["mine"][number];

export interface TenantState {
  user: SessionUser;
  tenant: CurrentTenant;
  tenants: MyTenant[];
  /** Switches the session's tenant; everything cached for the old one is dropped first. */
  switchTo: (tenantId: string) => void;
}

/** Whether the caller's role here allows it: the server's answer (tenant.current), no copy. */
export function may(tenant: CurrentTenant, permission: Permission): boolean {
  return tenant.permissions.includes(permission);
}

export const TenantContext = createContext<TenantState | null>(null);

export function useTenant(): TenantState {
  const state = useContext(TenantContext);
  if (!state) throw new Error("useTenant outside a tenant");
  return state;
}

export interface AppState {
  switchTo: (tenantId: string, options?: { to?: string }) => Promise<void>;
  signOut: () => Promise<void>;
}

export const AppContext = createContext<AppState | null>(null);

export function useAppState(): AppState {
  const state = useContext(AppContext);
  if (!state) throw new Error("useAppState outside the app");
  return state;
}
