// Where a command writes: the process's standard streams when run as `refx`
// (scripts/refx.mjs), anything writable when other code of the same process
// calls the command line (scripts/cli.ts `main`, as the tests do). Passed down
// to each command rather than read from `process`, so that two commands run at
// once in one process keep their outputs apart.
import type { Writable } from "node:stream";

export interface CliIo {
  stdout: Writable;
  /** `isTTY`: whether progress bars are drawn by default (a terminal, not a pipe or a file). */
  stderr: Writable & { isTTY?: boolean };
}

export const PROCESS_IO: CliIo = { stdout: process.stdout, stderr: process.stderr };

/** `text` and a newline, as console.log would print it. */
export function println(stream: Writable, text: string): void {
  stream.write(`${text}\n`);
}
