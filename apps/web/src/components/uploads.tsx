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
}

interface Uploads {
  items: UploadItem[];
  add: (files: File[]) => void;
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

  const add = useCallback(
    (files: File[]) => {
      const queued: Array<{ key: string; file: File }> = [];
      const fresh: UploadItem[] = files.map((file) => {
        const key = `u${++sequence}`;
        const problem = precheck(file);
        if (!problem) queued.push({ key, file });
        return problem
          ? { key, name: file.name, size: file.size, state: "error", progress: 0, message: problem }
          : { key, name: file.name, size: file.size, state: "waiting", progress: 0 };
      });
      setItems((all) => [...fresh, ...all]);

      const run = async () => {
        for (let next = queued.shift(); next; next = queued.shift()) {
          const { key, file } = next;
          patch(key, { state: "uploading" });
          const result = await uploadInvoice(file, (fraction) =>
            patch(key, { progress: Math.round(fraction * 100) }),
          );
          if (result.kind === "uploaded") {
            patch(key, { state: "uploaded", progress: 100, invoiceId: result.invoiceId });
          } else if (result.kind === "duplicate") {
            patch(key, {
              state: "duplicate",
              progress: 100,
              invoiceId: result.invoiceId,
              message: result.message,
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

  const clearFinished = useCallback(() => {
    setItems((all) => all.filter((item) => item.state === "waiting" || item.state === "uploading"));
  }, []);

  const value = useMemo(() => ({ items, add, clearFinished }), [items, add, clearFinished]);
  return <UploadsContext.Provider value={value}>{children}</UploadsContext.Provider>;
}

export function useUploads(): Uploads {
  const uploads = useContext(UploadsContext);
  if (!uploads) throw new Error("useUploads outside UploadsProvider");
  return uploads;
}
