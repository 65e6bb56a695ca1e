// The order vitest hands test files to its two workers (each takes the next
// file when it is free). Longest first, so that no long file starts last while
// the other worker sits idle; the files that read ../shared/data (the
// "shared-data" project) one after the other, so that each worker's process
// of that project restores the store and builds the matcher once for all the
// files it runs (vitest keeps a non-isolated process only while the next file
// in the queue is of its project); and that group after a few long files
// that do not need the data, so that the run's one parse of it (started by
// tests/global-setup.ts) overlaps them, and before the many short ones, which
// then fill both workers to the end instead of one long file alone.
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Files measured longest on a quiet 2-core machine (docs/benchmark.md, "The test suite"), longest
 * first; the files not listed follow, largest first. A stale list only costs a less even split.
 */
export const LONGEST_FIRST = [
  "tests/browser/testbench.test.ts",
  "tests/affiliations-shared.test.ts",
  "tests/browser/file.test.ts",
  "tests/rest-cli.test.ts",
  "tests/linked-data-shared.test.ts",
  "tests/replicas.test.ts",
  "tests/shared-data.test.ts",
  "tests/scale-bench.test.ts",
  "tests/virtuoso-store.test.ts",
  "tests/sample-notice.test.ts",
  "tests/server.test.ts",
  "tests/hardening-sparql.test.ts",
  "tests/browser/home.test.ts",
  "tests/sparql.test.ts",
  "tests/affiliations-cli.test.ts",
  "tests/rest-api.test.ts",
  "tests/browser/sparql.test.ts",
  "tests/fuzz.test.ts",
  "tests/browser/entity.test.ts",
  "tests/jobs-restart.test.ts",
  "tests/cli.test.ts",
  "tests/affiliation-segments.test.ts",
  "tests/reconcile-api.test.ts",
  "tests/linked-data.test.ts",
  "tests/worker-store.test.ts",
  "tests/snapshot.test.ts",
  "tests/openrefine-wire.test.ts",
  "tests/hardening-api.test.ts",
  "tests/affiliations-api.test.ts",
  "tests/export.test.ts",
];

/**
 * How many of the longest files that do not read ../shared/data run before those that do: one or
 * two a worker, about as long as the parse they overlap (under a minute on a quiet 2-core machine).
 */
export const BEFORE_SHARED_DATA = 4;

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = LONGEST_FIRST.findIndex((name) => f.moduleId.endsWith(name));
      return i < 0 ? LONGEST_FIRST.length : i;
    };
    // Array.prototype.sort is stable: files not listed keep the base order.
    const longestFirst = (list: TestSpecification[]) => list.sort((a, b) => rank(a) - rank(b));
    const shared = longestFirst(base.filter((f) => f.project.name === "shared-data"));
    const others = longestFirst(base.filter((f) => f.project.name !== "shared-data"));
    // Without the shared-data files (a run of chosen files), the others in their order.
    if (!shared.length) return others;
    return [...others.slice(0, BEFORE_SHARED_DATA), ...shared, ...others.slice(BEFORE_SHARED_DATA)];
  }
}
