import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { Button } from "../../components/ui/button";
import { Spinner } from "../../components/ui/spinner";
import { messageOf } from "../../lib/errors";
import { useTRPC } from "../../lib/trpc";
import { type DrawnBox, lowConfidence } from "./extraction";

const minZoom = 1;
const maxZoom = 4;
const step = 1.25;

/**
 * The page previews with the extracted fields' boxes and the page's words on top. Boxes and words
 * are in the preview's pixel space, placed in percent of the page's width and height, so they stay
 * on their text at any zoom. Zoom with the buttons or Ctrl/⌘ + wheel; drag to pan. A word clicked
 * goes into the field that has the focus (mousedown is cancelled so the field keeps it).
 */
export function Preview({
  invoiceId,
  boxes,
  active,
  ocrDone,
  onWord,
}: {
  invoiceId: string;
  boxes: DrawnBox[];
  active: string | null;
  ocrDone: boolean;
  onWord: (text: string, append: boolean) => void;
}) {
  const trpc = useTRPC();
  const pages = useQuery(
    trpc.invoice.pageUrls.queryOptions(
      { id: invoiceId, expiresInSeconds: 3600 },
      // Signed links expire; refresh them well before they do.
      { refetchInterval: 50 * 60_000, staleTime: 30 * 60_000 },
    ),
  );
  const container = useRef<HTMLDivElement>(null);
  const [zoom, setZoom] = useState(1);
  const drag = useRef<{ x: number; y: number; left: number; top: number; moved: boolean } | null>(
    null,
  );

  /** Zooms about a point of the pane (its centre for the buttons), keeping that point in place. */
  const zoomTo = (next: number, at?: { x: number; y: number }) => {
    const pane = container.current;
    const clamped = Math.min(maxZoom, Math.max(minZoom, Math.round(next * 100) / 100));
    if (!pane || clamped === zoom) return;
    const x = at?.x ?? pane.clientWidth / 2;
    const y = at?.y ?? pane.clientHeight / 2;
    const ratio = clamped / zoom;
    const left = (pane.scrollLeft + x) * ratio - x;
    const top = (pane.scrollTop + y) * ratio - y;
    setZoom(clamped);
    requestAnimationFrame(() => pane.scrollTo({ left, top }));
  };

  // A wheel listener that may cancel the page's own zoom/scroll must not be passive.
  const zoomRef = useRef(zoomTo);
  zoomRef.current = zoomTo;
  useEffect(() => {
    const pane = container.current;
    if (!pane) return;
    const onWheel = (event: WheelEvent) => {
      if (!event.ctrlKey && !event.metaKey) return;
      event.preventDefault();
      const rect = pane.getBoundingClientRect();
      const current = Number(pane.dataset.zoom ?? "1");
      zoomRef.current(event.deltaY < 0 ? current * step : current / step, {
        x: event.clientX - rect.left,
        y: event.clientY - rect.top,
      });
    };
    pane.addEventListener("wheel", onWheel, { passive: false });
    return () => pane.removeEventListener("wheel", onWheel);
  }, []);

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
      <figure className="page-figure" key={page.page} style={{ width: `${zoom * 100}%` }}>
        <div className="page-canvas" style={{ aspectRatio: `${page.width} / ${page.height}` }}>
          <img
            src={page.url}
            alt={`Page ${page.page} of the invoice`}
            width={page.width}
            height={page.height}
            draggable={false}
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
                style={place(b.box, page)}
              />
            ))}
          {page.words.map((w, index) => (
            <Button
              key={index}
              tabIndex={-1}
              className="word"
              data-word={w.text}
              aria-label={`Use “${w.text}”`}
              style={place(w.box, page)}
              // Keep the focus in the field being filled.
              onMouseDown={(e) => e.preventDefault()}
              onClick={(e) => {
                if (drag.current?.moved) return;
                onWord(w.text, e.shiftKey);
              }}
            />
          ))}
        </div>
        <figcaption>Page {page.page}</figcaption>
      </figure>
    ));
  }

  return (
    <section className="preview-wrap" aria-label="Page previews">
      <div className="preview-tools" role="toolbar" aria-label="Zoom">
        <Button onClick={() => zoomTo(zoom / step)} disabled={zoom <= minZoom}>
          −
        </Button>
        <output aria-label="Zoom level">{Math.round(zoom * 100)}%</output>
        <Button onClick={() => zoomTo(zoom * step)} disabled={zoom >= maxZoom}>
          +
        </Button>
        <Button variant="link" onClick={() => zoomTo(1)} disabled={zoom === 1}>
          Fit
        </Button>
        {(pages.data ?? []).some((p) => p.words.length > 0) ? (
          <span className="hint">Click a word to put it in the focused field (Shift adds it).</span>
        ) : null}
      </div>
      <div
        className={`preview${zoom > 1 ? " preview-zoomed" : ""}`}
        ref={container}
        data-zoom={zoom}
        data-testid="preview-pane"
        onPointerDown={(e) => {
          const pane = container.current;
          if (!pane || e.button !== 0) return;
          drag.current = {
            x: e.clientX,
            y: e.clientY,
            left: pane.scrollLeft,
            top: pane.scrollTop,
            moved: false,
          };
        }}
        onPointerMove={(e) => {
          const pane = container.current;
          const start = drag.current;
          if (!pane || !start || (e.buttons & 1) === 0) return;
          const dx = e.clientX - start.x;
          const dy = e.clientY - start.y;
          if (!start.moved && Math.hypot(dx, dy) < 4) return;
          start.moved = true;
          pane.scrollLeft = start.left - dx;
          pane.scrollTop = start.top - dy;
        }}
        onPointerUp={() => {
          // The click that ends a drag is not a word's click: cleared after it has fired.
          setTimeout(() => {
            drag.current = null;
          }, 0);
        }}
      >
        {body}
      </div>
    </section>
  );
}

function place(
  box: { x: number; y: number; width: number; height: number },
  page: {
    width: number;
    height: number;
  },
) {
  return {
    left: `${(box.x / page.width) * 100}%`,
    top: `${(box.y / page.height) * 100}%`,
    width: `${(box.width / page.width) * 100}%`,
    height: `${(box.height / page.height) * 100}%`,
  };
}
