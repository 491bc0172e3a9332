import { PassThrough, Readable } from "node:stream";
import Busboy from "busboy";
import { BadRequestError } from "../errors";

export class BadUploadError extends BadRequestError {}

const unreadable = (error: unknown) =>
  new BadUploadError(
    `the upload could not be read: ${(error instanceof Error ? error.message : String(error)).toLowerCase()}`,
  );

export interface ReceivedFile {
  filename: string | undefined;
  /** What the sender claimed; only ever compared with what the bytes are. */
  declaredType: string | undefined;
  stream: Readable;
}

/**
 * Streams a multipart request and hands over its one file as it arrives, never buffering it.
 * `done` settles when the request has been read: it rejects if there was no file, a second
 * file, or the multipart was malformed, so the caller can undo what it did with the first.
 */
export function receiveOneFile(request: Request): {
  file: Promise<ReceivedFile>;
  done: Promise<void>;
} {
  const contentType = request.headers.get("content-type") ?? "";
  if (!contentType.startsWith("multipart/form-data") || !request.body) {
    const error = new BadUploadError(
      "send the file as multipart/form-data, in one field named file",
    );
    const file = Promise.reject(error);
    const done = Promise.reject(error);
    // Observed here: the caller awaits only the first.
    file.catch(() => {});
    done.catch(() => {});
    return { file, done };
  }
  const busboy = Busboy({
    headers: { "content-type": contentType },
    limits: { files: 1, fields: 10, parts: 20 },
    // Filenames in UTF-8 (browsers and undici send them so), not busboy's latin1 default.
    defParamCharset: "utf8",
  });
  let resolveFile!: (file: ReceivedFile) => void;
  let rejectFile!: (error: Error) => void;
  const file = new Promise<ReceivedFile>((resolve, reject) => {
    resolveFile = resolve;
    rejectFile = reject;
  });
  let sawFile = false;
  let tooMany = false;
  const done = new Promise<void>((resolve, reject) => {
    busboy.on("file", (_field, stream, info) => {
      if (sawFile) {
        stream.resume();
        return;
      }
      sawFile = true;
      // A body cut off mid-part fails the file stream with busboy's own error, which would reach
      // whoever reads the file as an unknown fault (a 500): it becomes a BadUploadError here.
      const file = new PassThrough();
      stream.on("error", (error) => file.destroy(unreadable(error)));
      stream.pipe(file);
      resolveFile({ filename: info.filename, declaredType: info.mimeType, stream: file });
    });
    busboy.on("filesLimit", () => {
      tooMany = true;
    });
    busboy.on("error", (error) => {
      const bad = unreadable(error);
      rejectFile(bad);
      reject(bad);
    });
    busboy.on("close", () => {
      if (!sawFile) {
        const none = new BadUploadError("the upload contains no file");
        rejectFile(none);
        reject(none);
      } else if (tooMany) {
        reject(new BadUploadError("send exactly one file per upload"));
      } else {
        resolve();
      }
    });
  });
  // Keep both observed: the caller may stop listening early (a 413) without crashing the process.
  file.catch(() => {});
  done.catch(() => {});
  Readable.fromWeb(request.body as import("node:stream/web").ReadableStream).pipe(busboy);
  return { file, done };
}
