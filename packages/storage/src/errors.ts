/** The stream passed the byte limit; nothing of it was kept. */
export class TooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`);
  }
}

/** No object at that key (or one the caller may not name: the same answer). */
export class ObjectNotFoundError extends Error {
  constructor() {
    super("file not found");
  }
}
