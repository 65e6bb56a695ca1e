// A load error says which file, which line and why, so that a person can open
// the file at that line and see the problem.

export class LoadError extends Error {
  readonly file: string;
  readonly line: number | undefined;
  readonly reason: string;

  constructor(file: string, line: number | undefined, reason: string) {
    super(`${file}${line !== undefined ? `:${line}` : ""}: ${reason}`);
    this.name = "LoadError";
    this.file = file;
    this.line = line;
    this.reason = reason;
  }
}
