import { type DragEvent, useRef, useState } from "react";
import { mergeOcr, ocrText, useLiveJob } from "../lib/live";
import { Link } from "../lib/router";
import { Button } from "./ui/button";
import { type UploadItem, useUploads } from "./uploads";

/** Drag-and-drop or pick many files; each gets a progress bar, then its live OCR state. */
export function UploadPanel() {
  const { items, add, retry, clearFinished } = useUploads();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [shown, setShown] = useState(true);

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    const files = Array.from(event.dataTransfer.files);
    if (files.length > 0) add(files);
  };

  return (
    <section className="upload" aria-labelledby="upload-title">
      <h2 id="upload-title" className="visually-hidden">
        Upload invoices
      </h2>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: the drop zone also has a labelled input and button for keyboard users */}
      <div
        className={`dropzone${over ? " dropzone-over" : ""}`}
        onDragOver={(event) => {
          event.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <p>
          Drop PDF, JPEG or PNG invoices here (up to 10 MB each), or{" "}
          <Button variant="primary" onClick={() => input.current?.click()}>
            Upload
          </Button>
        </p>
        <label className="file-label">
          <span>Invoice files</span>
          <input
            ref={input}
            type="file"
            multiple
            accept="application/pdf,image/jpeg,image/png,application/xml,text/xml,.pdf,.jpg,.jpeg,.png,.xml"
            onChange={(event) => {
              const files = Array.from(event.target.files ?? []);
              if (files.length > 0) add(files);
              event.target.value = "";
            }}
          />
        </label>
      </div>
      {items.length > 0 ? (
        <div className="upload-tray">
          <div className="upload-summary">
            <span role="status">{summaryOf(items)}</span>
            <Button variant="link" aria-expanded={shown} onClick={() => setShown((now) => !now)}>
              {shown ? "Hide" : "Show"} uploads
            </Button>
            <Button variant="link" onClick={clearFinished}>
              Clear finished uploads
            </Button>
          </div>
          {shown ? (
            <ul className="upload-list" aria-label="Uploads">
              {items.map((item) => (
                <UploadRow key={item.key} item={item} onRetry={() => retry(item.key)} />
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

/** One line for the whole tray: "3 uploads: 2 uploaded, 1 failed". */
function summaryOf(items: UploadItem[]): string {
  const by = (state: UploadItem["state"]) => items.filter((i) => i.state === state).length;
  const parts = [
    [by("waiting") + by("uploading"), "uploading"],
    [by("uploaded"), "uploaded"],
    [by("duplicate"), "duplicate"],
    [by("error"), "failed"],
  ] as const;
  const said = parts.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`);
  return `${items.length} upload${items.length === 1 ? "" : "s"}: ${said.join(", ")}`;
}

function UploadRow({ item, onRetry }: { item: UploadItem; onRetry: () => void }) {
  const live = useLiveJob(item.state === "uploaded" ? item.invoiceId : null);
  const ocr = item.state === "uploaded" ? mergeOcr({ status: "queued" }, live) : null;
  const stateText =
    item.state === "waiting"
      ? "waiting"
      : item.state === "uploading"
        ? `uploading ${item.progress}%`
        : item.state === "uploaded"
          ? "uploaded"
          : item.state === "duplicate"
            ? "duplicate"
            : "failed";

  return (
    <li className={`upload-row upload-${item.state}`} data-testid="upload-row">
      <span className="upload-name">{item.name}</span>
      <progress
        max={100}
        value={item.state === "error" ? 0 : item.progress}
        aria-label={`Upload of ${item.name}`}
      />
      <span className="upload-state">{stateText}</span>
      {item.state === "uploaded" && ocr ? (
        <span className="upload-ocr" aria-live="polite">
          <OcrBadge status={ocr.status} progress={ocr.progress} error={ocr.lastError} />
          {ocr.status === "running" || ocr.status === "queued" ? (
            <progress max={100} value={ocr.progress ?? 0} aria-label={`Reading of ${item.name}`} />
          ) : null}
          {item.invoiceId ? <Link to={`/invoices/${item.invoiceId}`}>Open invoice</Link> : null}
        </span>
      ) : null}
      {item.state === "duplicate" ? (
        <span className="upload-message">
          {item.message}{" "}
          {item.invoiceId ? (
            <Link to={`/invoices/${item.invoiceId}`}>Open the original</Link>
          ) : null}
        </span>
      ) : null}
      {item.state === "error" ? (
        <span className="upload-message">
          <span className="field-error" role="alert">
            {item.message}
          </span>
          {item.file ? (
            <Button onClick={onRetry} aria-label={`Retry ${item.name}`}>
              Retry
            </Button>
          ) : null}
        </span>
      ) : null}
    </li>
  );
}

export function OcrBadge({
  status,
  progress,
  error,
}: {
  status: string | null | undefined;
  progress?: number | null | undefined;
  error?: string | null | undefined;
}) {
  const tone =
    status === "succeeded"
      ? "ok"
      : status === "failed" || status === "dead"
        ? "bad"
        : status
          ? "busy"
          : "none";
  return <span className={`ocr ocr-${tone}`}>{ocrText(status, progress, error)}</span>;
}
