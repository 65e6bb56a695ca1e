// The links graph: each owl:sameAs cluster closed, or linked as a star
// through its hub when it is too large for its closure (data/links.ts).
import { describe, expect, it } from "vitest";
import { clusterHub, MAX_CLOSED_CLUSTER, rebuildLinks } from "../data/links.ts";
import { RefStore } from "../data/store.ts";
import { readRecords } from "../reconcile/records.ts";
import { entityUri } from "../vocab/identifiers.ts";
import { OWL, SKOS } from "../vocab/namespaces.ts";

const BASE = "http://refx.test";
const LINKS = `${BASE}/graph/links`;
const SOURCE = `${BASE}/graph/sirene`;
const uai = entityUri(BASE, "uai", "0751717J");
const siren = entityUri(BASE, "siren", "180089013");
const siretOf = (k: number) => entityUri(BASE, "siret", `180089013${String(10_000 + k).padStart(5, "0")}`);

const sameAs = (a: string, b: string) => `<${a}> <${OWL.sameAs}> <${b}> .\n`;
const named = (e: string, name: string) => `<${e}> <${SKOS.prefLabel}> "${name}"@fr .\n`;

/** The objects of `uri`'s owl:sameAs in the links graph, sorted. */
function linked(store: RefStore, uri: string): string[] {
  return store.select(`SELECT ?o WHERE { GRAPH <${LINKS}> { <${uri}> <${OWL.sameAs}> ?o } }`).map((r) => r.o).sort();
}

/** A SIREN with `sirets` establishments (each says it is the same as its unit) and a UAI naming the SIREN. */
function bodyWithSites(sirets: number): { store: RefStore; members: string[] } {
  const store = new RefStore();
  let text = sameAs(uai, siren) + named(uai, "Université du test") + named(siren, "UNIVERSITE DU TEST");
  const members = [uai, siren];
  for (let k = 0; k < sirets; k++) {
    text += sameAs(siretOf(k), siren) + named(siretOf(k), `Site ${k}`);
    members.push(siretOf(k));
  }
  store.appendNTriples(SOURCE, text);
  return { store, members };
}

describe("links graph", () => {
  it("closes a cluster of an establishment's size: every member one hop from every other", () => {
    const { store, members } = bodyWithSites(3);
    const stats = rebuildLinks(store, LINKS, BASE);
    expect(stats).toMatchObject({ clusters: 1, links: 5 * 4, largest: 5, stars: 0, warnings: [] });
    for (const m of members) expect(linked(store, m)).toEqual(members.filter((x) => x !== m).sort());
  });

  it("links a cluster over the threshold as a star through its hub, and says so", () => {
    const sirets = MAX_CLOSED_CLUSTER; // with the UAI and the SIREN: two over
    const { store, members } = bodyWithSites(sirets);
    const stats = rebuildLinks(store, LINKS, BASE);
    const k = sirets + 2;
    expect(stats).toMatchObject({ clusters: 1, links: 2 * (k - 1), largest: k, stars: 1 });
    // The hub is the member a cluster is known by: the UAI before the SIREN and the SIRETs.
    expect(clusterHub(BASE, members)).toBe(uai);
    expect(linked(store, uai)).toEqual(members.filter((x) => x !== uai).sort());
    expect(linked(store, siretOf(7))).toEqual([uai]);
    expect(linked(store, siren)).toEqual([uai]);
    expect(stats.warnings).toHaveLength(1);
    expect(stats.warnings![0]).toContain(`${k} entities`);
    expect(stats.warnings![0]).toContain(uai);
  });

  it("keeps one record of a starred cluster in the \"all\" service, gathering every member", () => {
    const { store, members } = bodyWithSites(MAX_CLOSED_CLUSTER);
    rebuildLinks(store, LINKS, BASE);
    const records = readRecords(store, BASE);
    const all = records.get("all")!;
    expect(all).toHaveLength(1);
    expect(all[0].uri).toBe(uai);
    expect([...all[0].sameAs].sort()).toEqual([...members].sort());
    // A member reaches the rest through the hub: its own record pools the hub, not every sibling.
    const site = records.get("siret")!.find((r) => r.uri === siretOf(7))!;
    expect(site.sameAs).toEqual([siretOf(7), uai]);
    expect(site.name).toBe("Site 7");
  });

  it("replaces the previous links graph", () => {
    const { store } = bodyWithSites(2);
    store.appendNTriples(LINKS, sameAs(siretOf(99), siretOf(98)));
    rebuildLinks(store, LINKS, BASE);
    expect(linked(store, siretOf(99))).toEqual([]);
  });
});
