// `refx lookup <scheme> <id>`: one establishment by any identifier, offline,
// as GET /api/lookup/{scheme}/{id} answers it. The identifier is checked
// before any data is loaded.
import { checkedId, lookupIdentifier } from "../app/lookup.ts";
import { SCHEMES, type Scheme } from "../vocab/identifiers.ts";
import { runOpen } from "./load-command.ts";
import { PROCESS_IO, type CliIo } from "./io.ts";

export interface LookupCommandOptions {
  scheme: string;
  id: string;
  dataDir: string;
  cacheDir: string | false;
  base: string;
}

export type LookupResult = Awaited<ReturnType<typeof lookupIdentifier>>;

export async function runLookup(o: LookupCommandOptions, io: CliIo = PROCESS_IO): Promise<LookupResult> {
  checkedId(o.scheme, o.id);
  const { store, matcher } = await runOpen({ dataDir: o.dataDir, base: o.base, cacheDir: o.cacheDir, quiet: true }, io);
  return lookupIdentifier(matcher, store, o.base, o.scheme, o.id);
}

const day = (iso?: string) => iso?.slice(0, 10) ?? "?";

/** The establishment for a person: identifiers, names, place, relations, sources. */
export function formatLookup(r: LookupResult): string {
  const lines = [`${r.name}${r.status === "closed" ? "  (closed)" : ""}`];
  if (r.description) lines.push(`  ${r.description}`);
  lines.push(`  ${r.id}`, "", "identifiers");
  for (const [scheme, ids] of Object.entries(r.identifiers) as [Scheme, string[]][]) lines.push(`  ${SCHEMES[scheme].label.padEnd(9)} ${ids.join(", ")}`);
  lines.push("", "names");
  for (const n of r.names) lines.push(`  ${(n.lang ?? "").padEnd(3)} ${n.kind.padEnd(8)} ${n.value}`);
  const a = r.address;
  const place = [a.city, a.postcode, a.country].filter(Boolean).join(", ");
  if (place) lines.push("", `address   ${place}${a.lat !== undefined ? ` (${a.lat}, ${a.long})` : ""}`);
  if (r.websites.length) lines.push(`websites  ${r.websites.join(", ")}`);
  if (r.foundingDate || r.dissolutionDate) lines.push(`dates     ${r.foundingDate ?? "?"} – ${r.dissolutionDate ?? ""}`);
  const rel = (title: string, list: { id: string; name?: string }[]) => {
    if (!list.length) return;
    lines.push("", title);
    for (const x of list) lines.push(`  ${x.id}${x.name ? `  ${x.name}` : ""}`);
  };
  rel("parents", r.parents);
  rel("children", r.children);
  rel("replaces", r.replaces);
  rel("replaced by", r.replacedBy);
  if (r.alsoHeldBy) rel(`also holding ${r.query.scheme} ${r.query.id}`, r.alsoHeldBy);
  lines.push("", "sources");
  for (const s of r.sources) lines.push(`  ${s.source.padEnd(12)} file of ${day(s.modified)}, loaded ${day(s.loadedAt)}  ${s.title ?? ""}`);
  return lines.join("\n");
}
