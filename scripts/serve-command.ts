// `refx serve`: the server, exactly as `npm start` runs it (server/main.ts in
// a child process, with the same flags); signals are passed on, so
// `kill -HUP` still reloads and Ctrl-C still stops. The server's output is the
// command's: the terminal's as it is, else copied to the streams given.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { PROJECT_ROOT } from "../app/config.ts";
import { PROCESS_IO, type CliIo } from "./io.ts";

/** `args`: the server's options as given (app/options.ts serverArgs), passed on as they are. */
export function runServe(args: string[], io: CliIo = PROCESS_IO): Promise<number> {
  const own = io.stdout === process.stdout && io.stderr === process.stderr;
  const child = spawn(process.execPath, ["--import", "tsx", join(PROJECT_ROOT, "server", "main.ts"), ...args], { stdio: own ? "inherit" : ["ignore", "pipe", "pipe"] });
  child.stdout?.pipe(io.stdout, { end: false });
  child.stderr?.pipe(io.stderr, { end: false });
  const forward = (sig: NodeJS.Signals) => () => child.kill(sig);
  const handlers = (["SIGINT", "SIGTERM", "SIGHUP"] as const).map((sig) => [sig, forward(sig)] as const);
  for (const [sig, h] of handlers) process.on(sig, h);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      for (const [sig, h] of handlers) process.off(sig, h);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}
