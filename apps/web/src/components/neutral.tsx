import { Button } from "./ui/button";
/** A page with one sentence and nothing tenant-bound: loading, switching, a fatal error. */
export function Neutral({ text, retry }: { text: string; retry?: () => void }) {
  return (
    <main className="neutral" id="main">
      <p role="status">{text}</p>
      {retry ? <Button onClick={retry}>Try again</Button> : null}
    </main>
  );
}
