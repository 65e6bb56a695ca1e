import { serve } from "./tests/ld-helpers.ts";
import { buildMatcher } from "./reconcile/build.ts";
import { request } from "node:http";
const s = await serve("data/sample", "http://refx.test");
s.state.matcher = await buildMatcher(s.state.store, s.state.base, s.state.report!);
const u = new URL(s.url);
const t0 = performance.now();
const req = request({ host: u.hostname, port: u.port, path: "/api/reconcile?column=name", method: "POST", headers: { "Content-Type": "text/csv", "Content-Length": String(2 ** 30) } }, (res) => {
  console.log("status", res.statusCode, res.headers, performance.now() - t0);
  res.resume(); res.on("end", () => process.exit(0));
});
req.on("error", (e) => console.log("err", e));
req.flushHeaders();
setTimeout(() => { console.log("timeout"); process.exit(1); }, 8000);
