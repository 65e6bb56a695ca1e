import Fuse from "fuse.js";
import { RefStore } from "../../data/store.ts";
import { loadDataDir } from "../../data/load.ts";
import { readCatalogue } from "./catalogue.ts";
const base = "http://localhost:3000";
const store = new RefStore();
await loadDataDir(store, { dataDir: "../shared/data", base, cacheDir: ".refx/cache" });
let t = performance.now();
const cat = readCatalogue(store, base);
console.log("catalogue", performance.now() - t);
for (const [s, l] of cat) console.log(s, l.length, l.reduce((n, r) => n + r.names.length, 0));
for (const s of ["uai", "ror", "all"] as const) {
  t = performance.now();
  const docs = cat.get(s)!.map((r) => ({ id: r.id, names: r.names.map((n) => n.value) }));
  const fuse = new Fuse(docs, { keys: ["names"], includeScore: true, threshold: 0.4, ignoreLocation: true });
  console.log(s, "fuse build", performance.now() - t);
  for (const q of ["Univ. Paris 13", "TU München", "Humboldt-Universität zu Berlin", "Université de Trifouillis-les-Oies", "Laboratoire d'informatique de Paris Nord"]) {
    t = performance.now();
    const r = fuse.search(q, { limit: 5 });
    console.log(s, q, (performance.now() - t).toFixed(1), r.slice(0, 3).map((x) => [x.item.id, x.item.names[0], x.score?.toFixed(3)]));
  }
}
console.log(process.memoryUsage().rss / 2 ** 20);
