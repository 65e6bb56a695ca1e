// Where a batch command writes: a file written beside its final name and
// renamed when complete, so that a failed or interrupted run never leaves half
// a file under that name; the command's standard output without -o.
import { createWriteStream, renameSync, rmSync } from "node:fs";
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";

export interface BatchOutput {
  stream: Writable;
  /** Ends the file and gives it its name; throws the first write error, if any. */
  commit(): Promise<void>;
  /** Removes the partial file. */
  abort(): void;
}

export function openOutput(path: string | undefined, stdout: Writable = process.stdout): BatchOutput {
  const tmp = path ? `${path}.part-${process.pid}` : undefined;
  const stream: Writable = tmp ? createWriteStream(tmp) : stdout;
  let error: Error | undefined;
  stream.on("error", (e: Error) => (error ??= e));
  return {
    stream,
    async commit() {
      if (tmp) {
        stream.end();
        await finished(stream);
      }
      if (error) throw error;
      if (tmp) renameSync(tmp, path!);
    },
    abort() {
      if (!tmp) return;
      stream.destroy();
      rmSync(tmp, { force: true });
    },
  };
}
