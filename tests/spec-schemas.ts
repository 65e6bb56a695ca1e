// The JSON Schemas of the Reconciliation Service API (../shared/reconciliation-spec,
// versions 0.2 and 1.0-draft), ready to validate responses. They declare
// "http://json-schema.org/schema#" (no draft) and use draft-07 keywords
// (`contains`, `definitions`), so Ajv's default draft-07 class reads them once
// that unresolvable $schema is dropped. Each version gets its own Ajv: the two
// versions share some $ids (0.2's property-proposal schema carries the draft's).
import { Ajv, type ValidateFunction } from "ajv";
import formats from "ajv-formats";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SHARED } from "./helpers.ts";

export const SPEC_DIR = join(SHARED, "reconciliation-spec");
export const HAS_SPEC = existsSync(join(SPEC_DIR, "0.2", "schemas")) && existsSync(join(SPEC_DIR, "1.0-draft", "schemas"));
export const SKIP_SPEC_MESSAGE = `../shared/reconciliation-spec is absent (${SPEC_DIR}): validation against the API's JSON Schemas is skipped`;

if (!HAS_SPEC) console.warn(SKIP_SPEC_MESSAGE);

export type SpecVersion = "0.2" | "1.0-draft";
export type SchemaName =
  | "manifest" | "reconciliation-query-batch" | "reconciliation-result-batch" | "suggest-entities-response"
  | "suggest-types-response" | "suggest-properties-response" | "data-extension-property-proposal"
  | "data-extension-query" | "data-extension-response";

const cache = new Map<SpecVersion, Ajv>();

function ajvFor(version: SpecVersion): Ajv {
  let ajv = cache.get(version);
  if (ajv) return ajv;
  ajv = new Ajv({ strict: false, allErrors: true });
  // ajv-formats is CommonJS: its plugin is the module itself, typed as its `default`.
  formats.default(ajv);
  const dir = join(SPEC_DIR, version, "schemas");
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
    const schema = JSON.parse(readFileSync(join(dir, file), "utf8"));
    delete schema.$schema;
    // Keyed by file name; relative $refs ("type.json") resolve through each schema's $id.
    ajv.addSchema(schema, file);
  }
  cache.set(version, ajv);
  return ajv;
}

/** The schema's errors for this document, as readable lines (empty when valid). */
export function schemaErrors(version: SpecVersion, name: SchemaName, data: unknown): string[] {
  const validate = ajvFor(version).getSchema(`${name}.json`) as ValidateFunction | undefined;
  if (!validate) throw new Error(`no schema ${name} in ${version}`);
  return validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);
}

/** The spec's example documents of one kind ("reconciliation-query-batch"), valid or invalid. */
export function specExamples(version: SpecVersion, kind: string, validity: "valid" | "invalid"): { file: string; text: string }[] {
  const dir = join(SPEC_DIR, version, "examples", kind, validity);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((file) => ({ file, text: readFileSync(join(dir, file), "utf8") }));
}
