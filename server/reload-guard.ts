// A reload must not silently throw data away: a header-only RNSR file on
// SIGHUP replaced 4,506 entities by 0 and /health stayed "ready". A reload
// that would empty a source, or lose more than half of its entities, is
// refused (the previous data stays served) unless forced (SIGUSR2).
import type { LoadReport } from "../data/load.ts";

/** The share of a source's entities a reload may lose without being forced. */
export const MAX_LOSS = 0.5;

/** Why `next` should not replace `previous`, or undefined when it may. */
export function reloadRefusal(previous: Pick<LoadReport, "sources">, next: Pick<LoadReport, "sources">): string | undefined {
  const problems: string[] = [];
  for (const before of previous.sources) {
    if (before.entities === 0) continue;
    const after = next.sources.find((s) => s.source === before.source)?.entities ?? 0;
    if (after === 0) problems.push(`${before.source} would go from ${before.entities} entities to none`);
    else if (after < before.entities * (1 - MAX_LOSS)) problems.push(`${before.source} would go from ${before.entities} entities to ${after}`);
  }
  if (!problems.length) return undefined;
  return `reload refused, previous data kept: ${problems.join("; ")}. Check the files; to replace the data anyway, send SIGUSR2 (a forced reload)`;
}
