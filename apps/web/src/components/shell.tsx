import { lazy, Suspense, useCallback, useState } from "react";
import { createLiveStore, LiveContext } from "../lib/live";
import { setNavList } from "../lib/nav-list";
import { match, useLocation } from "../lib/router";
import { may, useTenant } from "../lib/tenant";
import { Inbox } from "../screens/inbox";
import { Header } from "./header";
import { LiveEvents } from "./live-events";
import { Spinner } from "./ui/spinner";
import { UploadsProvider } from "./uploads";

// Review and admin screens load on demand; the inbox is what most visits start with.
const Review = lazy(() => import("../screens/review/review"));
const Suppliers = lazy(() => import("../screens/suppliers"));
const Members = lazy(() => import("../screens/members"));
const Audit = lazy(() => import("../screens/audit"));
const Health = lazy(() => import("../screens/health"));
const MailSettings = lazy(() => import("../screens/mail-settings"));
const Webhooks = lazy(() => import("../screens/webhooks"));
const ApprovalSettings = lazy(() => import("../screens/approval-settings"));

/** Everything that belongs to one tenant. It is mounted with key={tenantId}. */
export function Shell() {
  const { tenant } = useTenant();
  const { path } = useLocation();
  const [store] = useState(createLiveStore);
  useState(() => setNavList([], "/"));
  const [liveStatus, setLiveStatus] = useState("connecting");
  const onStatus = useCallback((status: string) => setLiveStatus(status), []);
  const admin = may(tenant, "member:manage");

  let screen: React.ReactNode;
  const invoice = match("/invoices/:id", path);
  if (path === "/" || path === "/inbox") screen = <Inbox />;
  else if (invoice?.id) screen = <Review key={invoice.id} invoiceId={invoice.id} />;
  else if (path === "/suppliers") screen = <Suppliers />;
  else if (path === "/members" && admin) screen = <Members />;
  else if (path === "/audit" && may(tenant, "audit:read")) screen = <Audit />;
  else if (path === "/health" && may(tenant, "audit:read")) screen = <Health />;
  else if (path === "/settings/mail" && may(tenant, "mail:manage")) screen = <MailSettings />;
  else if (path === "/settings/webhooks" && may(tenant, "webhook:manage")) screen = <Webhooks />;
  else if (path === "/settings/approval" && may(tenant, "settings:write")) {
    screen = <ApprovalSettings />;
  } else if (
    [
      "/members",
      "/audit",
      "/health",
      "/settings/mail",
      "/settings/webhooks",
      "/settings/approval",
    ].includes(path)
  ) {
    screen = <NotAllowed />;
  } else screen = <NotFound />;

  return (
    <LiveContext.Provider value={store}>
      <UploadsProvider>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <Header liveStatus={liveStatus} />
        <LiveEvents store={store} onStatus={onStatus} />
        <main id="main" className="main" tabIndex={-1}>
          <Suspense fallback={<Spinner label="Loading…" />}>{screen}</Suspense>
        </main>
      </UploadsProvider>
    </LiveContext.Provider>
  );
}

function NotFound() {
  return (
    <section className="page">
      <h1>Page not found</h1>
      <p>There is nothing at this address.</p>
    </section>
  );
}

function NotAllowed() {
  return (
    <section className="page">
      <h1>Not available</h1>
      <p>Only a tenant admin can open this page.</p>
    </section>
  );
}
