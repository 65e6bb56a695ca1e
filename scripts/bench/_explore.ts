import { RefStore } from "../../data/store.ts";
import { loadDataDir } from "../../data/load.ts";
import { ReconciliationIndex } from "../../reconcile/index.ts";
import { SERVICE_IDS } from "../../reconcile/types.ts";
const base = "http://localhost:3000";
const store = new RefStore();
let t = performance.now();
const rep = await loadDataDir(store, { dataDir: "../shared/data", base, cacheDir: ".refx/cache" });
console.log("load", rep.seconds, rep.fromCache, rep.triples, performance.now() - t);
t = performance.now();
const m = ReconciliationIndex.build(store, base);
console.log("build", performance.now() - t, process.memoryUsage().rss / 2 ** 20);
for (const s of SERVICE_IDS) console.log(s, m.size(s));
for (const [s, q] of [["uai", "Univ. Paris 13"], ["ror", "TU München"], ["rnsr", "LIPN UMR 7030"], ["uai", "Université de Trifouillis-les-Oies"], ["all", "Sorbonne"]] as const) {
  const c = m.reconcile(s, { query: q, limit: 3 });
  console.log(s, q, c.map((x) => [x.record.id, x.record.name, x.score, x.match]));
}
