// The labelled set, generated in memory at each run from the source files
// with a seeded PRNG: per service, positive queries (variants of a row's
// names, the row's own identifier as the answer) balanced across query
// kinds, negative queries (invented names, names of entities the service
// does not hold), and the hand-written queries of queries.json.
import type { PropertyConstraint, ServiceId } from "../../reconcile/types.ts";
import { entityUri, normaliseId } from "../../vocab/identifiers.ts";
import type { Catalogue, CatalogueRecord } from "./catalogue.ts";
import { inventNames, type InventedStyle } from "./invented.ts";
import { Rng } from "./prng.ts";
import type { SourceEntity, Sources } from "./sources.ts";
import { bagKey, cityKeyOf, compactKey, foldText } from "./text.ts";
import type { Expected, LabelledQuery, QueryKind } from "./types.ts";
import { abbreviateUniversity, combine, dropStopWords, mangle, shuffleWords, swapRomanDigits, swapTown, typo } from "./variants.ts";

export interface CuratedQuery {
  service: ServiceId;
  query: string;
  properties?: PropertyConstraint[];
  /** The expected id (for "all": "scheme:id", e.g. "ror:01hcx6992"), or null for a negative. */
  expected: string | null;
  note?: string;
}

export interface LabelledSet {
  queries: LabelledQuery[];
  /** Why candidate queries were left out, by service and reason. */
  dropped: Record<string, Record<string, number>>;
  /** Hand-written queries whose expected id is not in the data. */
  curatedDropped: { service: string; query: string; expected: string | null; reason: string }[];
}

export interface LabelledOptions {
  base: string;
  seed: number;
  /** Queries per service, negatives included (curated queries come on top). */
  perService: number;
  services: ServiceId[];
}

/** A weighted pool of rows for one service: which rows, and what their expected answer is. */
interface Pool {
  label: string;
  weight: number;
  rows: SourceEntity[];
  expect: (e: SourceEntity) => Expected | undefined;
}

type Check = "name" | "acronym" | "acronym_city" | "name_city" | "name_country" | "code" | "sigle_code";

interface Variant {
  query: string;
  properties?: PropertyConstraint[];
  /** The name the variant comes from, checked for ambiguity along with the query itself. */
  base: string;
  check: Check;
  city?: string;
  country?: string;
  code?: string;
  note?: string;
}

const POSITIVE_KINDS: QueryKind[] = [
  "exact", "official_name", "short_name", "mangled", "univ_abbrev", "roman_digits", "no_stopwords", "typo", "shuffled",
  "acronym", "acronym_city", "english_name", "other_language", "alias", "name_city", "name_country", "rnsr_sigle_code", "rnsr_code",
  "combined",
];

/** The variant of one kind for one row, or undefined when the kind does not apply. */
function variant(kind: QueryKind, e: SourceEntity, rng: Rng): Variant | undefined {
  const name = e.name;
  const city = e.city ? [{ pid: "city" as const, values: [e.city] }] : undefined;
  const allNames = [name, e.officialName, ...e.otherLabels, ...e.aliases].filter((n): n is string => !!n);
  const acronym = e.acronyms.filter((a) => a.length >= 2 && a.length <= 15 && compactKey(a).length >= 2)[0];
  const differs = (v: string | undefined) => (v && compactKey(v) !== compactKey(name) ? v : undefined);
  const plain = (q: string | undefined, base = name, note?: string): Variant | undefined => (q ? { query: q, base, check: "name", note } : undefined);
  switch (kind) {
    case "exact":
      return plain(name);
    case "official_name":
      return plain(differs(e.officialName), e.officialName);
    case "short_name": {
      const s = differs(e.shortName);
      return s && compactKey(s) !== compactKey(acronym ?? "") ? plain(s, s) : undefined;
    }
    case "english_name":
      return plain(differs(e.englishName), e.englishName);
    case "other_language": {
      const labels = e.otherLabels.filter((l) => differs(l));
      const l = labels.length ? rng.pick(labels) : undefined;
      return plain(l, l);
    }
    case "alias": {
      const aliases = e.aliases.filter((l) => differs(l) && compactKey(l) !== compactKey(acronym ?? ""));
      const l = aliases.length ? rng.pick(aliases) : undefined;
      return plain(l, l);
    }
    case "mangled":
      return plain(mangle(name, rng));
    case "univ_abbrev": {
      const from = allNames.find((n) => /universit[ée]/i.test(n));
      return from ? plain(abbreviateUniversity(from, rng), from) : undefined;
    }
    case "roman_digits": {
      for (const n of allNames) {
        const v = swapRomanDigits(n);
        if (v) return plain(v, n);
      }
      return undefined;
    }
    case "no_stopwords":
      return plain(dropStopWords(name));
    case "typo": {
      const t = typo(name, rng);
      return t ? plain(t.text, name, t.edit) : undefined;
    }
    case "shuffled":
      return plain(shuffleWords(name, rng));
    case "combined": {
      const c = combine(name, rng);
      return c ? plain(c.text, name, c.steps.join("+")) : undefined;
    }
    case "acronym":
      return acronym ? { query: acronym, base: acronym, check: "acronym" } : undefined;
    case "acronym_city":
      return acronym && city ? { query: acronym, properties: city, base: acronym, check: "acronym_city", city: e.city } : undefined;
    case "name_city":
      return city ? { query: name, properties: city, base: name, check: "name_city", city: e.city } : undefined;
    case "name_country": {
      if (!e.country) return undefined;
      const value = e.countryName && rng.chance(0.5) ? e.countryName : e.country;
      return { query: name, properties: [{ pid: "country", values: [value] }], base: name, check: "name_country", country: e.country };
    }
    case "rnsr_sigle_code": {
      const code = e.unitCodes[0];
      return acronym && code ? { query: `${acronym} ${code}`, base: acronym, check: "sigle_code", code } : undefined;
    }
    case "rnsr_code": {
      const code = e.unitCodes[0];
      return code ? { query: code, base: code, check: "code", code } : undefined;
    }
    default:
      return undefined;
  }
}

/** The names of one service's records, to tell an answerable query from an ambiguous one. */
class ServiceNames {
  private readonly byKey = new Map<string, number[]>();
  private readonly byBag = new Map<string, number[]>();
  private readonly byMember = new Map<string, number[]>();
  readonly tokens = new Set<string>();

  constructor(readonly records: CatalogueRecord[]) {
    records.forEach((r, i) => {
      for (const n of r.names) {
        for (const [map, k] of [[this.byKey, compactKey(n.value)], [this.byBag, bagKey(n.value)]] as const) {
          const list = map.get(k);
          if (!list) map.set(k, [i]);
          else if (list[list.length - 1] !== i) list.push(i);
        }
        for (const t of foldText(n.value).split(" ")) this.tokens.add(t);
      }
      if (r.city) for (const t of foldText(r.city).split(" ")) this.tokens.add(t);
      for (const m of r.members) {
        const list = this.byMember.get(m);
        if (list) list.push(i);
        else this.byMember.set(m, [i]);
      }
    });
  }

  equivalent(i: number, ex: Expected): boolean {
    const r = this.records[i];
    return r.id === ex.id || r.members.includes(ex.uri);
  }

  exists(ex: Expected): boolean {
    return (this.byMember.get(ex.uri) ?? []).length > 0;
  }

  /** Records not equivalent to `ex` that answer to this name (or acronym, or unit code). */
  others(name: string, ex?: Expected): number[] {
    return (this.byKey.get(compactKey(name)) ?? []).filter((i) => !ex || !this.equivalent(i, ex));
  }

  /** The same, word order and stop words aside ("Pierre et Marie Curie", "Marie et Pierre Curie"). */
  othersLoosely(name: string, ex: Expected): number[] {
    const bag = bagKey(name);
    const loose = bag ? (this.byBag.get(bag) ?? []).filter((i) => !this.equivalent(i, ex)) : [];
    return [...new Set([...this.others(name, ex), ...loose])];
  }

  /** Some record answers to this name, word order and stop words aside. */
  has(name: string): boolean {
    return this.byKey.has(compactKey(name)) || this.byBag.has(bagKey(name));
  }

  /** Why the variant cannot have one right answer, or undefined when it can. */
  ambiguity(v: Variant, ex: Expected): string | undefined {
    const others = (name: string) => this.others(name, ex);
    const loosely = (name: string) => this.othersLoosely(name, ex);
    switch (v.check) {
      case "name":
        return loosely(v.base).length || loosely(v.query).length ? "name shared by another record" : undefined;
      case "acronym":
        return others(v.base).length ? "acronym shared by another record" : undefined;
      case "acronym_city":
      case "name_city": {
        const city = cityKeyOf(v.city);
        const same = (v.check === "name_city" ? loosely : others)(v.base).filter((i) => !this.records[i].city || cityKeyOf(this.records[i].city) === city);
        return same.length ? "name and city shared by another record" : undefined;
      }
      case "name_country": {
        const same = loosely(v.base).filter((i) => !this.records[i].country || this.records[i].country === v.country);
        return same.length ? "name and country shared by another record" : undefined;
      }
      case "code":
        return others(v.base).length ? "unit code shared by another record" : undefined;
      case "sigle_code": {
        const withCode = new Set(others(v.code!));
        return others(v.base).some((i) => withCode.has(i)) ? "acronym and unit code shared by another record" : undefined;
      }
    }
  }
}

/** France and its overseas departments and territories, which ROR gives their own country codes. */
const FRENCH = new Set(["FR", "GP", "MQ", "GF", "RE", "YT", "NC", "PF", "PM", "WF", "BL", "MF", "TF"]);
const isFrench = (country: string | undefined) => !!country && FRENCH.has(country);

function pools(service: ServiceId, sources: Sources, base: string): Pool[] {
  const active = (rows: SourceEntity[]) => rows.filter((e) => !e.withdrawn);
  const own = (e: SourceEntity): Expected => ({ id: e.id, uri: e.uri, name: e.name });
  const asAll = (e: SourceEntity): Expected => ({ id: e.uri, uri: e.uri, name: e.name });
  const rorFr = active(sources.ror).filter((e) => isFrench(e.country));
  const rorWorld = active(sources.ror).filter((e) => !isFrench(e.country));
  const wikidata = (e: SourceEntity): Expected | undefined =>
    e.wikidata ? { id: e.wikidata, uri: entityUri(base, "wikidata", e.wikidata), name: e.name } : undefined;
  switch (service) {
    case "uai":
      return [
        { label: "uai", weight: 0.85, rows: active(sources.uai), expect: own },
        { label: "education", weight: 0.15, rows: active(sources.education), expect: own },
      ];
    case "rnsr":
      return [{ label: "rnsr", weight: 1, rows: active(sources.rnsr), expect: own }];
    case "ror":
      return [
        { label: "ror-fr", weight: 0.5, rows: rorFr, expect: own },
        { label: "ror-world", weight: 0.5, rows: rorWorld, expect: own },
      ];
    case "siret":
      return [{
        label: "uai", weight: 1, rows: active(sources.uai).filter((e) => e.siret),
        expect: (e) => ({ id: e.siret!, uri: entityUri(base, "siret", e.siret!), name: e.name }),
      }];
    case "wikidata":
      return [
        { label: "uai", weight: 0.4, rows: active(sources.uai).filter((e) => e.wikidata), expect: wikidata },
        { label: "ror-fr", weight: 0.25, rows: rorFr.filter((e) => e.wikidata), expect: wikidata },
        { label: "ror-world", weight: 0.35, rows: rorWorld.filter((e) => e.wikidata), expect: wikidata },
      ];
    case "all":
      return [
        { label: "uai", weight: 0.3, rows: active(sources.uai), expect: asAll },
        { label: "rnsr", weight: 0.25, rows: active(sources.rnsr), expect: asAll },
        { label: "ror-fr", weight: 0.15, rows: rorFr, expect: asAll },
        { label: "ror-world", weight: 0.2, rows: rorWorld, expect: asAll },
        { label: "education", weight: 0.1, rows: active(sources.education), expect: asAll },
      ];
  }
}

/** A stream of rows for one kind: the pools shuffled once, then drawn by weight. */
class Draw {
  private readonly order: SourceEntity[][];
  private readonly cursor: number[];

  constructor(private readonly pools: Pool[], private readonly rng: Rng) {
    this.order = pools.map((p) => rng.shuffle(p.rows));
    this.cursor = pools.map(() => 0);
  }

  next(): { pool: Pool; row: SourceEntity } | undefined {
    const open = this.pools.map((p, i) => i).filter((i) => this.cursor[i] < this.order[i].length);
    if (!open.length) return undefined;
    const total = open.reduce((s, i) => s + this.pools[i].weight, 0);
    let x = this.rng.next() * total;
    let chosen = open[open.length - 1];
    for (const i of open) {
      x -= this.pools[i].weight;
      if (x < 0) {
        chosen = i;
        break;
      }
    }
    return { pool: this.pools[chosen], row: this.order[chosen][this.cursor[chosen]++] };
  }
}

/** The ambiguity of negatives is the other way round: a negative that a record answers to is no negative. */
function negatives(service: ServiceId, count: number, sources: Sources, names: ServiceNames, catalogue: Catalogue, rng: Rng): LabelledQuery[] {
  const out: LabelledQuery[] = [];
  const seen = new Set<string>();
  const styles: Record<ServiceId, InventedStyle[]> = {
    uai: ["establishment", "school"], rnsr: ["research"], siret: ["establishment"],
    wikidata: ["establishment", "foreign", "research"], ror: ["foreign", "establishment", "research"],
    all: ["establishment", "research", "foreign", "school"],
  };
  const townIsNew = (town: string) => foldText(town).split(" ").filter((t) => t.length >= 4).every((t) => !names.tokens.has(t));

  // Real names of entities the service does not hold.
  const foreign = sources.ror.filter((e) => !e.withdrawn && e.country && !isFrench(e.country));
  const uaiRecords = new Map((catalogue.get("uai") ?? []).map((r) => [r.uri, r]));
  const absentPool: SourceEntity[] = (() => {
    switch (service) {
      case "uai":
        return foreign.filter((e) => e.types.includes("education"));
      case "rnsr":
        return foreign.filter((e) => e.types.includes("facility") || e.types.includes("education"));
      case "siret":
        // French establishments whose cluster holds no SIRET, and foreign ones.
        return [
          ...sources.uai.filter((e) => !(uaiRecords.get(e.uri)?.members ?? []).some((m) => m.includes("/id/siret/"))),
          ...foreign.filter((e) => e.types.includes("education")).slice(0, 2000),
        ];
      case "wikidata":
        return sources.education;
      case "ror":
        return sources.education;
      case "all":
        return [];
    }
  })();
  // A third (a half for "all") each: real names of absent entities, real names with another town, invented names.
  const absentCount = absentPool.length ? Math.floor(count / 3) : 0;
  const swapCount = absentPool.length ? Math.floor(count / 3) : Math.floor(count / 2);
  for (const e of rng.shuffle(absentPool)) {
    if (out.length >= absentCount) break;
    if (names.has(e.name) || seen.has(compactKey(e.name))) continue;
    seen.add(compactKey(e.name));
    const withCity = e.city && rng.chance(0.3);
    out.push({
      service, kind: "negative_absent", source: e.source, query: e.name,
      properties: withCity ? [{ pid: "city", values: [e.city!] }] : undefined,
      note: `${e.source} ${e.id}, not in the ${service} service`,
    });
  }
  // "Université de Limoges" -> "Université de Quimper": a real name's town swapped for another town of the same source.
  const rows = pools(service, sources, "").flatMap((p) => p.rows).filter((e) => e.city && e.name.toLowerCase().includes(e.city.toLowerCase()));
  const towns = [...new Set(rows.map((e) => e.city!))];
  const swapped = out.length + swapCount;
  for (let attempt = 0; out.length < swapped && attempt < swapCount * 40 && rows.length && towns.length > 1; attempt++) {
    const e = rng.pick(rows);
    const other = rng.pick(towns);
    const q = swapTown(e.name, e.city!, other);
    if (!q || names.has(q) || seen.has(compactKey(q))) continue;
    seen.add(compactKey(q));
    out.push({ service, kind: "negative_town_swap", source: e.source, query: q, note: `${e.source} ${e.id} "${e.name}" with ${other} for ${e.city}` });
  }
  for (const name of inventNames(rng, count - out.length, styles[service], (n, town) => !names.has(n) && !seen.has(compactKey(n)) && townIsNew(town))) {
    seen.add(compactKey(name));
    out.push({ service, kind: "negative_invented", source: "invented", query: name });
  }
  return out;
}

function curatedQueries(service: ServiceId, curated: CuratedQuery[], sources: Sources, names: ServiceNames, base: string, dropped: LabelledSet["curatedDropped"]): LabelledQuery[] {
  const out: LabelledQuery[] = [];
  // Every identifier the files hold, to check the hand-written answers against.
  const inFiles = (scheme: string, id: string): SourceEntity | undefined => {
    switch (scheme) {
      case "uai":
        return sources.uai.find((e) => e.id === id) ?? sources.education.find((e) => e.id === id);
      case "rnsr":
        return sources.rnsr.find((e) => e.id === id);
      case "ror":
        return sources.ror.find((e) => e.id === id);
      case "wikidata":
        return sources.uai.find((e) => e.wikidata === id) ?? sources.ror.find((e) => e.wikidata === id);
      case "siret":
        return sources.uai.find((e) => e.siret === id);
    }
    return undefined;
  };
  for (const c of curated.filter((q) => q.service === service)) {
    if (c.expected === null) {
      if (names.has(c.query)) {
        dropped.push({ service, query: c.query, expected: null, reason: "a record answers to this negative's name" });
        continue;
      }
      out.push({ service, kind: "curated_negative", source: "curated", query: c.query, properties: c.properties, note: c.note });
      continue;
    }
    const [scheme, rawId] = service === "all" ? (c.expected.split(":", 2) as [string, string]) : [service, c.expected];
    const id = normaliseId(scheme as "uai", rawId);
    const row = id ? inFiles(scheme, id) : undefined;
    if (!id || !row) {
      dropped.push({ service, query: c.query, expected: c.expected, reason: `${scheme} ${rawId} is not in the source files` });
      continue;
    }
    const uri = entityUri(base, scheme as "uai", id);
    const expected: Expected = { id: service === "all" ? uri : id, uri, name: row.name };
    if (!names.exists(expected)) {
      dropped.push({ service, query: c.query, expected: c.expected, reason: "in the files but not in the loaded store" });
      continue;
    }
    out.push({ service, kind: "curated", source: "curated", query: c.query, properties: c.properties, expected, note: c.note });
  }
  return out;
}

/**
 * Former names: a closed ROR record with exactly one successor, queried by its
 * name; the right answer is the successor (ror and all services). Built from
 * the file at run time. A split (several successors) has no single right
 * answer and is left out. A seeded sample of FORMER_NAMES per service.
 */
const FORMER_NAMES = 100;

function formerNameQueries(service: ServiceId, sources: Sources, names: ServiceNames, drop: (reason: string) => void): LabelledQuery[] {
  if (service !== "ror" && service !== "all") return [];
  const byId = new Map(sources.ror.map((e) => [e.id, e]));
  const out: LabelledQuery[] = [];
  const seen = new Set<string>();
  for (const e of sources.ror) {
    if (!e.withdrawn || e.successors?.length !== 1) continue;
    const next = byId.get(e.successors[0]);
    if (!next || next.withdrawn) continue;
    const expected: Expected = service === "ror" ? { id: next.id, uri: next.uri, name: next.name } : { id: next.uri, uri: next.uri, name: next.name };
    if (!names.exists(expected)) {
      drop("successor not in the loaded store");
      continue;
    }
    if (seen.has(e.name)) continue;
    seen.add(e.name);
    out.push({ service, kind: "former_name", source: "ror", query: e.name, expected, note: `closed ${e.id}, replaced by ${next.id}` });
  }
  return out;
}

export function buildLabelledSet(sources: Sources, catalogue: Catalogue, curated: CuratedQuery[], opts: LabelledOptions): LabelledSet {
  const root = new Rng(opts.seed);
  const queries: LabelledQuery[] = [];
  const dropped: LabelledSet["dropped"] = {};
  const curatedDropped: LabelledSet["curatedDropped"] = [];

  for (const service of opts.services) {
    const names = new ServiceNames(catalogue.get(service) ?? []);
    const why = (dropped[service] = {} as Record<string, number>);
    const drop = (reason: string) => (why[reason] = (why[reason] ?? 0) + 1);
    const negativeCount = Math.min(60, Math.floor(opts.perService / 2));
    const positiveCount = opts.perService - negativeCount;
    const servicePools = pools(service, sources, opts.base).filter((p) => p.rows.length);
    const seen = new Set<string>();
    const picked: LabelledQuery[] = [];

    // Kinds get equal quotas; what a kind cannot fill goes to the others.
    const draws = new Map(POSITIVE_KINDS.map((k) => [k, new Draw(servicePools, root.fork(`${service}/${k}`))]));
    const variantRng = new Map(POSITIVE_KINDS.map((k) => [k, root.fork(`${service}/${k}/variant`)]));
    const taken = new Map<QueryKind, number>(POSITIVE_KINDS.map((k) => [k, 0]));
    let open = [...POSITIVE_KINDS];
    while (picked.length < positiveCount && open.length) {
      const quota = Math.max(1, Math.floor((positiveCount - picked.length) / open.length));
      const stillOpen: QueryKind[] = [];
      for (const kind of open) {
        const draw = draws.get(kind)!;
        let got = 0;
        let exhausted = false;
        while (got < quota && picked.length < positiveCount) {
          const next = draw.next();
          if (!next) {
            exhausted = true;
            break;
          }
          const expected = next.pool.expect(next.row);
          if (!expected) continue;
          const v = variant(kind, next.row, variantRng.get(kind)!);
          if (!v) continue;
          if (!names.exists(expected)) {
            drop("expected entity not in the loaded store");
            continue;
          }
          const ambiguous = names.ambiguity(v, expected);
          if (ambiguous) {
            drop(ambiguous);
            continue;
          }
          const key = `${v.query}|${JSON.stringify(v.properties ?? [])}`;
          if (seen.has(key)) continue;
          seen.add(key);
          picked.push({ service, kind, source: next.pool.label, query: v.query, properties: v.properties, expected, note: v.note });
          got++;
        }
        taken.set(kind, taken.get(kind)! + got);
        if (!exhausted) stillOpen.push(kind);
      }
      open = stillOpen;
    }
    queries.push(...picked);
    queries.push(...negatives(service, negativeCount, sources, names, catalogue, root.fork(`${service}/negatives`)));
    queries.push(...curatedQueries(service, curated, sources, names, opts.base, curatedDropped));
    queries.push(...root.fork(`${service}/former`).shuffle(formerNameQueries(service, sources, names, drop)).slice(0, FORMER_NAMES));
  }
  return { queries, dropped, curatedDropped };
}

