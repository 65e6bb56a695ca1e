#!/usr/bin/env node
// `npx refx ...`: runs the TypeScript CLI through tsx, so there is no build step.
// The process around scripts/cli.ts `main`: its arguments, its standard streams, its exit code.
import { register } from "tsx/esm/api";

register();
const { main } = await import("./cli.ts");
const code = await main(process.argv.slice(2));
// A failure ends the process at once, as before (a command may leave a handle open); success lets output drain.
if (code !== 0) process.exit(code);
