import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from "react";
import { precheck, uploadInvoice } from "../lib/upload";

/*
 * The uploads of this tenant's session. They live above the screens, so leaving the inbox
 * does not lose them; the requests run two at a time.
 */
export interface UploadItem {
  key: string;
  name: string;
  size: number;
  state: "waiting" | "uploading" | "uploaded" | "duplicate" | "error";
  progress: number;
  invoiceId?: string | null;
  message?: string;
  /** Kept until the upload has gone through, so that a failed one can be sent again. */
  file?: File;
}

interface Uploads {
  items: UploadItem[];
  add: (files: File[]) => void;
  /** Sends a failed upload's file again, in its place in the list. */
  retry: (key: string) => void;
  clearFinished: () => void;
}

const UploadsContext = createContext<Uploads | null>(null);

const concurrency = 2;
let sequence = 0;

export function UploadsProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<UploadItem[]>([]);

  const patch = useCallback((key: string, change: Partial<UploadItem>) => {
    setItems((all) => all.map((item) => (item.key === key ? { ...item, ...change } : item)));
  }, []);

  const send = useCallback(
    (queued: Array<{ key: string; file: File }>) => {
      const run = async () => {
        for (let next = queued.shift(); next; next = queued.shift()) {
          const { key, file } = next;
          patch(key, { state: "uploading", progress: 0, message: undefined });
          const result = await uploadInvoice(file, (fraction) =>
            patch(key, { progress: Math.round(fraction * 100) }),
          );
          if (result.kind === "uploaded") {
            patch(key, {
              state: "uploaded",
              progress: 100,
              invoiceId: result.invoiceId,
              file: undefined,
            });
          } else if (result.kind === "duplicate") {
            patch(key, {
              state: "duplicate",
              progress: 100,
              invoiceId: result.invoiceId,
              message: result.message,
              file: undefined,
            });
          } else {
            patch(key, { state: "error", message: result.message });
          }
        }
      };
      for (let i = 0; i < Math.min(concurrency, queued.length); i++) void run();
    },
    [patch],
  );

  const add = useCallback(
    (files: File[]) => {
      const queued: Array<{ key: string; file: File }> = [];
      const fresh: UploadItem[] = files.map((file) => {
        const key = `u${++sequence}`;
        const problem = precheck(file);
        if (!problem) queued.push({ key, file });
        return problem
          ? { key, name: file.name, size: file.size, state: "error", progress: 0, message: problem }
          : { key, name: file.name, size: file.size, state: "waiting", progress: 0, file };
      });
      setItems((all) => [...fresh, ...all]);
      send(queued);
    },
    [send],
  );

  const retry = useCallback(
    (key: string) => {
      const item = items.find((i) => i.key === key);
      if (!item?.file || item.state !== "error") return;
      patch(key, { state: "waiting", progress: 0, message: undefined });
      send([{ key, file: item.file }]);
    },
    [items, patch, send],
  );

  const clearFinished = useCallback(() => {
    setItems((all) => all.filter((item) => item.state === "waiting" || item.state === "uploading"));
  }, []);

  const value = useMemo(
    () => ({ items, add, retry, clearFinished }),
    [items, add, retry, clearFinished],
  );
  return <UploadsContext.Provider value={value}>{children}</UploadsContext.Provider>;
}

export function useUploads(): Uploads {
  const uploads = useContext(UploadsContext);
  if (!uploads) throw new Error("useUploads outside UploadsProvider");
  return uploads;
}
