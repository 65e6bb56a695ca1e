// `npx tsx scripts/bench/sirene-rate.ts --data-dir D`: how fast the Sirene
// stocks stream, in rows per CPU second (issue 12's target: 300,000), apart
// from the rest of a load. The other sources are read first (untimed) for the
// identifiers they cite, as `refx load` does; then each Sirene file is loaded
// `--repeat` times into a fresh store, and the fastest run is kept. Prints
// rows, entities, triples, CPU seconds (whole load into the store, and the
// loader alone with the triples only serialised) and a sha256 of each graph's
// sorted N-Triples, to check a change keeps the same output.
import { createHash } from "node:crypto";
import { Command } from "commander";
import { discoverSources, LOADERS } from "../../data/load.ts";
import { emptyCrossReferences, type CrossReferences, type Loader } from "../../data/loaders/types.ts";
import { graphUri } from "../../data/sources.ts";
import { RefStore } from "../../data/store.ts";
import { TripleSink } from "../../data/triples.ts";

const BASE = "http://localhost:3000";
const SIRENE = new Set(["sirene-ul", "sirene-etab"]);

const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e6;
};

/** Runs `loader` over `files` into `onChunk`, returning rows, entities, triples and CPU seconds. */
async function run(loader: Loader, files: string[], refs: CrossReferences, onChunk: (text: string) => void) {
  const sink = new TripleSink(onChunk);
  const cpu0 = process.cpuUsage();
  let rows = 0;
  let entities = 0;
  for (const file of files) {
    const out = await loader({ base: BASE, file, refs }, sink);
    rows += out.rows;
    entities += out.entities;
  }
  sink.chunks();
  return { rows, entities, triples: sink.count, cpuSeconds: cpuSeconds(cpu0) };
}

const opts = new Command()
  .requiredOption("--data-dir <dir>", "a data directory with Sirene stock files (e.g. one written by npm run bench:scale -- --keep)")
  .option("--repeat <n>", "runs of each file; the fastest is kept", (v) => Number(v), 3)
  .parse()
  .opts<{ dataDir: string; repeat: number }>();

const found = discoverSources(opts.dataDir);
const refs = emptyCrossReferences();
for (const [source, loader] of LOADERS) {
  const files = found.get(source);
  if (!files) continue;
  if (!SIRENE.has(source)) {
    await run(loader, files, refs, () => {});
    continue;
  }
  // Each run starts from the references the units' file leaves for the establishments.
  const before = { ...refs, sirens: new Set(refs.sirens), sirets: new Set(refs.sirets), keptSirens: new Map(refs.keptSirens) };
  let best: Awaited<ReturnType<typeof run>> | undefined;
  let bestAlone = Infinity;
  let lines: string[] = [];
  for (let i = 0; i < opts.repeat; i++) {
    // The loader alone: triples serialised, nothing stored.
    bestAlone = Math.min(bestAlone, (await run(loader, files, { ...before, sirens: before.sirens, keptSirens: new Map(before.keptSirens) }, () => {})).cpuSeconds);
    // As `refx load` does it: every chunk into the store.
    const store = new RefStore();
    const graph = graphUri(BASE, source as "sirene-ul");
    const kept = { ...before, keptSirens: new Map(before.keptSirens) };
    const collected: string[] = [];
    const r = await run(loader, files, kept, (text) => {
      store.appendNTriplesBytes(graph, Buffer.from(text, "utf8"));
      collected.push(text);
    });
    if (!best || r.cpuSeconds < best.cpuSeconds) best = r;
    lines = collected.join("").split("\n").filter(Boolean).sort();
    Object.assign(refs, kept);
  }
  const hash = createHash("sha256").update(lines.join("\n")).digest("hex").slice(0, 16);
  console.log(
    `${source.padEnd(12)} ${best!.rows.toLocaleString("en")} rows, ${best!.entities.toLocaleString("en")} entities, ${best!.triples.toLocaleString("en")} triples; ` +
      `${best!.cpuSeconds.toFixed(2)} CPU s into the store = ${Math.round(best!.rows / best!.cpuSeconds).toLocaleString("en")} rows/CPU s; ` +
      `loader alone ${bestAlone.toFixed(2)} CPU s = ${Math.round(best!.rows / bestAlone).toLocaleString("en")} rows/CPU s; sha256 ${hash}`,
  );
}
