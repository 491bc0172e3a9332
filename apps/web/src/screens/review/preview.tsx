import { useEffect, useRef } from "react";
import { Spinner } from "../../components/form";
import { messageOf } from "../../lib/errors";
import { trpc } from "../../lib/trpc";
import { type DrawnBox, lowConfidence } from "./extraction";

/**
 * The page previews with the extracted fields' boxes on top. Boxes are in the preview's pixel
 * space, so they are placed in percent of the page's width and height and scale with the image.
 */
export function Preview({
  invoiceId,
  boxes,
  active,
  ocrDone,
}: {
  invoiceId: string;
  boxes: DrawnBox[];
  active: string | null;
  ocrDone: boolean;
}) {
  const pages = trpc.invoice.pageUrls.useQuery(
    { id: invoiceId, expiresInSeconds: 3600 },
    // Signed links expire; refresh them well before they do.
    { refetchInterval: 50 * 60_000, staleTime: 30 * 60_000 },
  );
  const container = useRef<HTMLDivElement>(null);

  // Scroll the preview (not the whole page) so the active box is in view.
  useEffect(() => {
    const pane = container.current;
    if (!active || !pane) return;
    const target = pane.querySelector<HTMLElement>(`[data-box="${CSS.escape(active)}"]`);
    if (!target) return;
    if (pane.scrollHeight <= pane.clientHeight + 1) return;
    const paneRect = pane.getBoundingClientRect();
    const rect = target.getBoundingClientRect();
    const top = pane.scrollTop + rect.top - paneRect.top - pane.clientHeight / 2 + rect.height / 2;
    pane.scrollTo({ top, behavior: "smooth" });
  }, [active]);

  let body: React.ReactNode;
  if (pages.isPending) body = <Spinner label="Loading pages…" />;
  else if (pages.isError) body = <p role="alert">{messageOf(pages.error)}</p>;
  else if (pages.data.length === 0) {
    body = (
      <p className="empty">
        {ocrDone
          ? "No page previews for this invoice."
          : "Page previews appear once the document has been read."}
      </p>
    );
  } else {
    body = pages.data.map((page) => (
      <figure className="page-figure" key={page.page}>
        <div className="page-canvas" style={{ aspectRatio: `${page.width} / ${page.height}` }}>
          <img
            src={page.url}
            alt={`Page ${page.page} of the invoice`}
            width={page.width}
            height={page.height}
          />
          {boxes
            .filter((b) => b.page === page.page)
            .map((b) => (
              <div
                key={b.key}
                data-box={b.key}
                aria-hidden="true"
                title={`${b.label} (${Math.round(b.confidence * 100)}% confidence)`}
                className={`box${b.key === active ? " box-active" : ""}${
                  b.confidence < lowConfidence ? " box-low" : ""
                }`}
                style={{
                  left: `${(b.box.x / page.width) * 100}%`,
                  top: `${(b.box.y / page.height) * 100}%`,
                  width: `${(b.box.width / page.width) * 100}%`,
                  height: `${(b.box.height / page.height) * 100}%`,
                }}
              />
            ))}
        </div>
        <figcaption>Page {page.page}</figcaption>
      </figure>
    ));
  }

  return (
    <section className="preview" aria-label="Page previews" ref={container}>
      {body}
    </section>
  );
}
