// The order vitest hands test files to its two workers. Longest first, so that
// no long file starts last while the other worker sits idle; the files that read
// ../shared/data (the "shared-data" project) after all the others, so that the
// run's one parse of it (started by tests/global-setup.ts) overlaps the other
// files, and each worker's process of that project restores the store and
// builds the matcher once for all the files it then runs.
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Files measured longest on a quiet 2-core machine (docs/benchmark.md, "The test suite"), longest
 * first; the files not listed follow, largest first. A stale list only costs a less even split.
 */
export const LONGEST_FIRST = [
  "tests/browser/testbench.test.ts",
  "tests/rest-cli.test.ts",
  "tests/browser/file.test.ts",
  "tests/replicas.test.ts",
  "tests/affiliations-cli.test.ts",
  "tests/browser/home.test.ts",
  "tests/cli.test.ts",
  "tests/scale-bench.test.ts",
  "tests/browser/sparql.test.ts",
  "tests/server.test.ts",
  "tests/sample-notice.test.ts",
  "tests/export.test.ts",
  "tests/jobs-restart.test.ts",
  "tests/linked-data-shared.test.ts",
  "tests/shared-data.test.ts",
  "tests/affiliations-shared.test.ts",
];

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = LONGEST_FIRST.findIndex((name) => f.moduleId.endsWith(name));
      return i < 0 ? LONGEST_FIRST.length : i;
    };
    const last = (f: TestSpecification) => (f.project.name === "shared-data" ? 1 : 0);
    // Array.prototype.sort is stable: files neither listed nor in another project keep the base order.
    return base.sort((a, b) => last(a) - last(b) || rank(a) - rank(b));
  }
}
