// The server's command-line options are declared once (app/options.ts): `npm start` parses them,
// `refx serve` parses the same and passes them on; nothing given to `refx serve` may be dropped.
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { serverArgs, serverOptions } from "../app/options.ts";

const parse = (argv: string[]) => {
  const c = new Command().exitOverride();
  for (const o of serverOptions()) c.addOption(o);
  return c.parse(argv, { from: "user" }).opts();
};

describe("the server's options", () => {
  it("come back as the same arguments: every option given to refx serve reaches the server", () => {
    const given = [
      "--data-dir", "/d", "--port", "0", "--host", "0.0.0.0", "--base-uri", "http://x.test", "--cache-dir", "/c", "--no-cache",
      "--read-only", "--store", "http://s.test/sparql", "--snapshot", "/s", "--sparql-timeout", "5", "--sparql-max-results", "10",
      "--sparql-allow-service", "http://a.test/sparql", "--sparql-allow-service", "http://b.test/sparql",
    ];
    const opts = parse(given);
    expect(opts).toMatchObject({ port: 0, cache: false, readOnly: true, sparqlTimeout: 5, sparqlMaxResults: 10, sparqlAllowService: ["http://a.test/sparql", "http://b.test/sparql"] });
    expect(parse(serverArgs(opts))).toEqual(opts);
    // Each declared option is among those given above, so a new one is not forgotten by this test.
    for (const o of serverOptions()) expect(given).toContain(o.long);
  });

  it("refuse a bad value before anything starts", () => {
    expect(() => parse(["--port", "70000"])).toThrow(/port/);
    expect(() => parse(["--sparql-timeout", "-1"])).toThrow(/positive/);
  });
});
