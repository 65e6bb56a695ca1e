// `refx serve`: the server, exactly as `npm start` runs it (server/main.ts in
// a child process, with the same flags); signals are passed on, so
// `kill -HUP` still reloads and Ctrl-C still stops.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { PROJECT_ROOT } from "../app/config.ts";

/** `args`: the server's options as given (app/options.ts serverArgs), passed on as they are. */
export function runServe(args: string[]): Promise<number> {
  const child = spawn(process.execPath, ["--import", "tsx", join(PROJECT_ROOT, "server", "main.ts"), ...args], { stdio: "inherit" });
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
