import { type DragEvent, useRef, useState } from "react";
import { mergeOcr, ocrText, useLiveJob } from "../lib/live";
import { Link } from "../lib/router";
import { type UploadItem, useUploads } from "./uploads";

/** Drag-and-drop or pick many files; each gets a progress bar, then its live OCR state. */
export function UploadPanel() {
  const { items, add, clearFinished } = useUploads();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);

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
          <button type="button" className="primary" onClick={() => input.current?.click()}>
            Upload
          </button>
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
        <>
          <ul className="upload-list" aria-label="Uploads">
            {items.map((item) => (
              <UploadRow key={item.key} item={item} />
            ))}
          </ul>
          <button type="button" className="link" onClick={clearFinished}>
            Clear finished uploads
          </button>
        </>
      ) : null}
    </section>
  );
}

function UploadRow({ item }: { item: UploadItem }) {
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
        <span className="upload-message field-error" role="alert">
          {item.message}
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
