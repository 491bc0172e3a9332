import { useOffline } from "../lib/network";

export function NetworkBanner() {
  const offline = useOffline();
  if (!offline) return null;
  return (
    <div className="banner banner-warning" role="alert">
      Remit cannot be reached right now. Your changes are not lost: check your connection, then try
      again.
    </div>
  );
}
