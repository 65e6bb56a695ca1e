// No-organisation strings (issue 14, ROR's protocol): a company's legal form
// ("Co., LTD") is read as no organisation's acronym. Found on the development
// part of ROR's query logs: a funding statement ending "Co., LTD" flagged the
// Laboratoire de Théorie du Droit, whose acronym is LTD.
import { beforeAll, describe, expect, it } from "vitest";
import { flaggedOf } from "../scripts/bench/ror-protocol.ts";
import type { ReconciliationIndex } from "../reconcile/index.ts";
import { HAS_SHARED_DATA } from "./helpers.ts";
import { SHARED_HOOK_TIMEOUT, sharedMatcher } from "./shared-cache.ts";

describe.skipIf(!HAS_SHARED_DATA)("a company's legal form in an affiliation string", () => {
  let m: ReconciliationIndex;
  beforeAll(async () => {
    m = await sharedMatcher();
  }, SHARED_HOOK_TIMEOUT);

  it("is no acronym: a funding statement ending 'Co., LTD' flags nothing", () => {
    const r = m.affiliation("ror", "2022 Science and Technology Project of State Grid Fujian Electric Power Co., LTD");
    expect(flaggedOf(r)).toEqual([]);
    expect(r.organisations.some((o) => /Théorie du Droit/.test(o.record.name))).toBe(false);
  });

  it("the laboratory is still found by its acronym written as one", () => {
    const [first] = m.reconcile("ror", { query: "LTD" });
    expect(first?.record.name).toMatch(/Théorie du Droit/);
  });
});
