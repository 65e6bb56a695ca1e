// The OpenAPI 3.1 description of /api, written by hand next to the code it
// describes; tests validate real responses against its schemas (JSON Schema
// 2020-12), so a change on one side without the other fails.
import { PROPERTY_IDS, SERVICE_IDS } from "../../reconcile/types.ts";
import { DELIMITERS } from "../../app/csv-io.ts";
import { ID_SCHEMES, RESULT_COLUMNS } from "../../app/batch.ts";
import { SCHEME_NAMES } from "../../vocab/identifiers.ts";
import { MAX_JSON_DEPTH } from "../limits/json-depth.ts";
import { MAX_COLUMNS, MAX_JSON_CELLS } from "./upload.ts";
import { DEFAULT_AFFILIATIONS_MAX } from "./affiliations.ts";
import { AFFILIATION_LIMIT, AFFILIATION_LIMIT_MAX, AFFILIATION_MAX_CHARS } from "../../app/affiliations.ts";

export interface ApiLimits {
  syncMaxRows: number;
  syncMaxBytes: number;
  jobMaxBytes: number;
  jsonBodyBytes: number;
  /** Strings of one POST /api/affiliations (default 1,000). */
  affiliationsMaxBatch?: number;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ "application/json": { schema } });
const error = (description: string) => ({ description, content: json(ref("Error")) });
const idList = { type: "array", items: { type: "string" } };
const identifiersObject = {
  type: "object",
  description: "Every identifier of the establishment by scheme (those of all the entities linked to it)",
  properties: Object.fromEntries(ID_SCHEMES.map((s) => [s, idList])),
  additionalProperties: false,
};

const specFields = {
  column: { type: "string", description: "Column holding the establishments' names (or identifiers)" },
  target: { type: "string", enum: [...SERVICE_IDS], default: "all", description: "Which identifier refx_id gives: uai, rnsr, siret, wikidata, ror, or all (the refx URI of the establishment)" },
  min_score: { type: "string", description: "Candidates scoring below this (0-100, default 50) do not make a row ambiguous" },
  ...Object.fromEntries(PROPERTY_IDS.map((p) => [p, { type: "string", description: `Column holding the ${p} of each row` }])),
  delimiter: { type: "string", enum: [...DELIMITERS, "tab"], description: "Overrides the detected delimiter" },
  encoding: { type: "string", description: "Overrides the detected encoding: utf-8, windows-1252 (latin1), utf-16le, utf-16be" },
  format: { type: "string", enum: ["csv", "json"], description: "Output format; overrides the Accept header" },
  formulas: { type: "string", enum: ["neutralise", "raw"], default: "neutralise", description: "CSV answers: cells beginning with = + - @, a tab or CR get a leading ' so spreadsheets do not run them as formulas (plain numbers excepted); raw writes them as they are" },
};

const batchParameters = Object.entries(specFields).map(([name, schema]) => ({
  name, in: "query", required: false, schema,
  description: `${(schema as { description: string }).description} (with a text/csv body, or besides a form)`,
}));

export function openApi(limits: ApiLimits) {
  const maxAffiliations = limits.affiliationsMaxBatch ?? DEFAULT_AFFILIATIONS_MAX;
  const affiliationTarget = { type: "string", enum: [...SERVICE_IDS], default: "all", description: "Which referential's records are found: uai, rnsr, siret, wikidata, ror, or all (ids are refx, Wikidata or ROR URIs)" };
  const affiliationRequired = ["affiliation", "primary", "organisations", "segments", "countries"];
  const affiliationProperties = {
    affiliation: { type: "string", description: "The string as read (HTML entities decoded): what the offsets refer to" },
    primary: { type: ["object", "null"], oneOf: [ref("AffiliationOrganisation"), { type: "null" }], description: "The organisation the string is an affiliation to, or null when none was found" },
    organisations: { type: "array", items: ref("AffiliationOrganisation"), description: "Every organisation found, best first" },
    segments: { type: "array", items: ref("AffiliationSegment"), description: "The parts the string was cut into" },
    countries: { type: "array", items: { type: "string" }, description: "Countries the string names (ISO 3166-1 alpha-2)" },
  };
  const affiliationLimit = { type: "integer", minimum: 1, maximum: AFFILIATION_LIMIT_MAX, default: AFFILIATION_LIMIT, description: `Organisations reported per string (at most ${AFFILIATION_LIMIT_MAX})` };
  const batchBody = {
    required: true,
    content: {
      "multipart/form-data": {
        schema: {
          type: "object",
          required: ["file", "column"],
          properties: { file: { type: "string", contentMediaType: "text/csv", description: "The CSV: delimiter and encoding detected, first line the header" }, ...specFields },
        },
      },
      "text/csv": { schema: { type: "string", description: "The CSV as the body; fields in the query string" } },
      "application/json": { schema: ref("BatchRequest") },
    },
  };
  const csvOrJson = (description: string) => ({
    description,
    content: {
      "text/csv": { schema: { type: "string", description: `The input's columns, then ${RESULT_COLUMNS.join(", ")}` } },
      "application/json": { schema: ref("BatchResult") },
    },
  });
  const jobId = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };

  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: {
      title: "refx REST API",
      version: "1.0.0",
      summary: "Batch reconciliation and identifier crosswalk of French higher-education and research establishments",
      description:
        "Reconciles whole files of establishment names against the UAI, RNSR, Sirene, Wikidata and ROR referentials, " +
        "and translates any identifier of an establishment into all the others. For OpenRefine, use the Reconciliation " +
        "Service API under /reconcile instead.",
      license: { name: "MIT", identifier: "MIT" },
    },
    servers: [{ url: "/" }],
    tags: [
      { name: "batch", description: "Reconcile whole files" },
      { name: "jobs", description: "Long batch runs" },
      { name: "crosswalk", description: "Identifiers, lookup and search" },
      { name: "affiliations", description: "Organisations named in affiliation strings" },
      { name: "meta", description: "This description" },
    ],
    paths: {
      "/api/reconcile": {
        post: {
          tags: ["batch"],
          operationId: "reconcileBatch",
          summary: "Reconcile a file or a list of rows, synchronously",
          description:
            `Answers every row with the result columns added (${RESULT_COLUMNS.join(", ")}). At most ${limits.syncMaxRows} rows ` +
            `(${Math.round(limits.syncMaxBytes / 2 ** 20)} MB of file, ${Math.round(limits.jsonBodyBytes / 2 ** 20)} MB of JSON): larger batches get a 413 and go to POST /api/jobs. ` +
            "The answer is CSV (text/csv) or JSON (application/json), by the Accept header or the format field; by default the input's format. " +
            "It is streamed: rows are written as they are matched.",
          parameters: batchParameters,
          requestBody: batchBody,
          responses: {
            "200": csvOrJson("The rows with their results"),
            "400": error(`Malformed input: bad JSON, JSON nested more than ${MAX_JSON_DEPTH} deep (json_too_deep), a missing column, an empty file, an unknown target or field, a broken CSV`),
            "406": error("Accept names neither text/csv nor application/json"),
            "413": error(`Too many rows or bytes for a synchronous answer (too_many_rows, payload_too_large: use POST /api/jobs); more than ${MAX_COLUMNS} columns (too_many_columns); JSON rows over ${MAX_JSON_CELLS} cells (too_many_cells). A Content-Length over the limit is refused before the body is read`),
            "415": error("Neither multipart/form-data, text/csv nor JSON"),
            "503": error("The referential data are loading"),
          },
        },
      },
      "/api/jobs": {
        post: {
          tags: ["jobs"],
          operationId: "createJob",
          summary: "Start a batch reconciliation job",
          description:
            `The same input as POST /api/reconcile, up to ${Math.round(limits.jobMaxBytes / 2 ** 20)} MB. Answers 202 at once with the job; ` +
            "GET its link for progress, then download the result. The result's format (CSV or JSON) is chosen here, by Accept or format.",
          parameters: batchParameters,
          requestBody: batchBody,
          responses: {
            "202": { description: "The job, queued", headers: { Location: { schema: { type: "string" } } }, content: json(ref("Job")) },
            "400": error(`Malformed input (checked on the header before the job is queued); JSON nested more than ${MAX_JSON_DEPTH} deep (json_too_deep)`),
            "406": error("Accept names neither text/csv nor application/json"),
            "413": error(`The file is too large (payload_too_large, also on a declared Content-Length, before reading); more than ${MAX_COLUMNS} columns (too_many_columns); JSON rows over ${MAX_JSON_CELLS} cells (too_many_cells)`),
            "415": error("Neither multipart/form-data, text/csv nor JSON"),
            "429": error("Too many jobs queued or running: retry later (Retry-After)"),
            "503": error("The referential data are loading"),
          },
        },
      },
      "/api/jobs/{id}": {
        get: {
          tags: ["jobs"],
          operationId: "getJob",
          summary: "A job's status and progress",
          parameters: [jobId],
          description: "Jobs outlive a restart of a server that has a cache directory: finished ones are served until they expire, unfinished ones run again from their saved input.",
          responses: { "200": { description: "The job", content: json(ref("Job")) }, "404": error("No such job (or it expired)"), "410": error("The job was lost when the server restarted: its saved state or files could not be read back (job_lost); send the file again") },
        },
        delete: {
          tags: ["jobs"],
          operationId: "deleteJob",
          summary: "Cancel a job, or delete a finished one and its result",
          parameters: [jobId],
          description: "Not offered to other origins: a DELETE sent by a browser from another site's page (Origin or Sec-Fetch-Site says so) is refused with 403 cross_origin_refused.",
          responses: { "204": { description: "Cancelled or deleted" }, "403": error("Sent from a page of another site (cross_origin_refused)"), "404": error("No such job"), "410": error("The job was lost when the server restarted: its saved state or files could not be read back (job_lost); send the file again") },
        },
      },
      "/api/jobs/{id}/result": {
        get: {
          tags: ["jobs"],
          operationId: "getJobResult",
          summary: "The result of a finished job",
          parameters: [jobId],
          responses: {
            "200": csvOrJson("The rows with their results, in the format chosen when the job was created"),
            "404": error("No such job"),
            "409": error("The job is not done (queued, running, failed or cancelled)"),
            "410": error("The job was lost when the server restarted: its saved state or files could not be read back (job_lost); send the file again"),
          },
        },
      },
      "/api/lookup/{scheme}/{id}": {
        get: {
          tags: ["crosswalk"],
          operationId: "lookup",
          summary: "One establishment by any of its identifiers",
          description:
            "The identifier is checked (format and check character) before it is looked up. Answers the establishment with all its " +
            "other identifiers, names, address, parents and children, predecessors and successors, and the sources that describe it with their dates.",
          parameters: [
            { name: "scheme", in: "path", required: true, schema: { type: "string", enum: [...SCHEME_NAMES] } },
            { name: "id", in: "path", required: true, schema: { type: "string" }, example: "0751717J" },
          ],
          responses: {
            "200": { description: "The establishment", content: json(ref("Establishment")) },
            "400": { description: "Unknown scheme, or an identifier that fails its format or check character (the check is named)", content: json(ref("InvalidIdentifier")) },
            "404": error("No establishment holds this identifier"),
            "503": error("The referential data are loading"),
          },
        },
      },
      "/api/validate/{scheme}/{id}": {
        get: {
          tags: ["crosswalk"],
          operationId: "validate",
          summary: "Check an identifier's format and check character, without looking it up",
          parameters: [
            { name: "scheme", in: "path", required: true, schema: { type: "string", enum: [...SCHEME_NAMES] } },
            { name: "id", in: "path", required: true, schema: { type: "string" } },
          ],
          responses: {
            "200": { description: "Whether it is valid; if not, which check failed", content: json(ref("Validation")) },
            "400": error("Unknown scheme"),
          },
        },
      },
      "/api/search": {
        get: {
          tags: ["crosswalk"],
          operationId: "search",
          summary: "Typeahead: establishments whose names start with or resemble q",
          parameters: [
            { name: "q", in: "query", required: true, schema: { type: "string", maxLength: 200 }, example: "Humboldt" },
            { name: "target", in: "query", required: false, schema: { type: "string", enum: [...SERVICE_IDS], default: "all" } },
            { name: "limit", in: "query", required: false, schema: { type: "integer", minimum: 1, maximum: 50, default: 10 } },
            { name: "country", in: "query", required: false, schema: { type: "string" }, description: "Only establishments of this country (ISO code or name)" },
          ],
          responses: {
            "200": { description: "Best first", content: json(ref("SearchResult")) },
            "400": error("Bad parameter"),
            "503": error("The referential data are loading"),
          },
        },
      },
      "/api/affiliations": {
        post: {
          tags: ["affiliations"],
          operationId: "affiliations",
          summary: "Every organisation one affiliation string, or a list of them, names",
          description:
            "Cuts each string into its parts (organisations, departments, address, city, country), finds the organisation each part names " +
            "(the country and city named serving as evidence), links laboratories to their tutelles when both are named, and picks the one " +
            `the string is an affiliation to (primary). One string ({"affiliation"}) is answered as one result; a list ({"affiliations"}, at most ${maxAffiliations}) ` +
            `as results in the same order. A string has at most ${AFFILIATION_MAX_CHARS} characters. Offsets (start, end) count UTF-16 code units of affiliation, the string as read.`,
          requestBody: { required: true, content: json(ref("AffiliationRequest")) },
          responses: {
            "200": { description: "One result, or a list of results in the input's order", content: json(ref("AffiliationAnswer")) },
            "400": error(`Malformed JSON, or nested more than ${MAX_JSON_DEPTH} deep (json_too_deep); no affiliation; an empty string, a string that is not one or over ${AFFILIATION_MAX_CHARS} characters; an unknown field or target; a bad limit`),
            "413": error(`More than ${maxAffiliations} strings (too_many_affiliations, with maxAffiliations) or a JSON body over ${Math.round(limits.jsonBodyBytes / 2 ** 20)} MB`),
            "415": error("Not a JSON body"),
            "503": error("The referential data are loading"),
          },
        },
        get: {
          tags: ["affiliations"],
          operationId: "affiliation",
          summary: "Every organisation one affiliation string names",
          parameters: [
            { name: "q", in: "query", required: true, schema: { type: "string", maxLength: AFFILIATION_MAX_CHARS }, example: "LIPN, CNRS UMR 7030, Université Sorbonne Paris Nord, Villetaneuse, France" },
            { name: "target", in: "query", required: false, schema: affiliationTarget },
            { name: "limit", in: "query", required: false, schema: affiliationLimit },
          ],
          responses: {
            "200": { description: "The organisations found, best first", content: json(ref("AffiliationResult")) },
            "400": error("No q, an empty or too long q, an unknown target, a limit that is not a whole number from 1 to its maximum (1.5, 1e9 and 0 are refused)"),
            "503": error("The referential data are loading"),
          },
        },
      },
      "/api/openapi.json": {
        get: { tags: ["meta"], operationId: "openapi", summary: "This description", responses: { "200": { description: "OpenAPI 3.1", content: json({ type: "object" }) } } },
      },
      "/api/docs": {
        get: { tags: ["meta"], operationId: "docs", summary: "This description as an HTML page", responses: { "200": { description: "HTML", content: { "text/html": { schema: { type: "string" } } } } } },
      },
    },
    components: {
      schemas: {
        Error: {
          type: "object",
          required: ["error", "message"],
          properties: { error: { type: "string", description: "A code: bad_request, missing_column, invalid_csv, payload_too_large, ..." }, message: { type: "string" } },
        },
        InvalidIdentifier: {
          type: "object",
          required: ["error", "message"],
          properties: {
            error: { type: "string", enum: ["invalid_identifier", "unknown_scheme"] },
            message: { type: "string" },
            scheme: { type: "string" },
            check: ref("Check"),
            expected: { type: "string", description: "The check character(s) the identifier's other characters give" },
          },
        },
        Check: {
          type: "string",
          enum: ["format", "mod23", "luhn", "mod97-10", "mod11-2", "ppn-mod11"],
          description: "format; mod23 (UAI, RNSR check letter); luhn (SIREN, SIRET); mod97-10 (ROR); mod11-2 (ISNI); ppn-mod11 (IdRef)",
        },
        Validation: {
          type: "object",
          required: ["valid", "scheme"],
          properties: {
            valid: { type: "boolean" },
            scheme: { type: "string" },
            id: { type: "string", description: "The canonical form, when valid" },
            input: { type: "string" },
            check: ref("Check"),
            expected: { type: "string" },
            message: { type: "string" },
          },
        },
        BatchRequest: {
          type: "object",
          required: ["column", "rows"],
          properties: {
            ...Object.fromEntries(Object.entries(specFields).filter(([k]) => k !== "delimiter" && k !== "encoding")),
            min_score: { type: ["number", "string"] },
            rows: { type: "array", items: { type: "object", additionalProperties: { type: ["string", "number", "boolean", "null"] } } },
          },
        },
        Candidate: {
          type: "object",
          required: ["id", "name", "score"],
          properties: { id: { type: "string" }, name: { type: "string" }, score: { type: "number" } },
          additionalProperties: false,
        },
        ResultRow: {
          type: "object",
          description: "The input row's columns (strings), then the result columns",
          required: [...RESULT_COLUMNS],
          properties: {
            refx_id: { type: ["string", "null"], description: "The matched establishment's id in the target (a URI for all); null unless matched" },
            refx_name: { type: ["string", "null"] },
            refx_score: { type: ["number", "null"], description: "0-100: the match's score, or the best candidate's when ambiguous" },
            refx_status: { type: "string", enum: ["matched", "ambiguous", "none", "error"], description: "error: the matcher failed on this row (a bug; the run goes on)" },
            refx_candidates: { type: "array", items: ref("Candidate"), maxItems: 3, description: "The best candidates of an ambiguous row" },
            ...Object.fromEntries(ID_SCHEMES.map((s) => [`refx_${s}`, { ...idList, description: `The matched establishment's ${s} identifiers` }])),
          },
          additionalProperties: { type: "string" },
        },
        Summary: {
          type: "object",
          required: ["rows", "matched", "ambiguous", "none", "error", "seconds", "rowsPerSecond"],
          properties: {
            rows: { type: "integer" }, matched: { type: "integer" }, ambiguous: { type: "integer" }, none: { type: "integer" }, error: { type: "integer" },
            seconds: { type: "number" }, rowsPerSecond: { type: "number" },
          },
          additionalProperties: false,
        },
        BatchResult: {
          type: "object",
          required: ["target", "column", "columns", "rows", "summary"],
          properties: {
            target: { type: "string", enum: [...SERVICE_IDS] },
            column: { type: "string" },
            input: {
              type: "object",
              properties: { encoding: { type: "string" }, delimiter: { type: "string" }, bom: { type: "boolean" } },
              additionalProperties: false,
            },
            columns: { type: "array", items: { type: "string" } },
            rows: { type: "array", items: ref("ResultRow") },
            summary: ref("Summary"),
          },
          additionalProperties: false,
        },
        Job: {
          type: "object",
          required: ["id", "status", "target", "column", "format", "input", "progress", "createdAt", "links"],
          properties: {
            id: { type: "string", format: "uuid" },
            status: { type: "string", enum: ["queued", "running", "done", "failed", "cancelled"] },
            target: { type: "string", enum: [...SERVICE_IDS] },
            column: { type: "string" },
            format: { type: "string", enum: ["csv", "json"] },
            input: {
              type: "object",
              required: ["bytes"],
              properties: { name: { type: "string" }, bytes: { type: "integer" }, rows: { type: "integer" }, encoding: { type: "string" }, delimiter: { type: "string" } },
              additionalProperties: false,
            },
            progress: {
              type: "object",
              required: ["rows"],
              properties: { rows: { type: "integer" }, total: { type: "integer" }, percent: { type: "integer", minimum: 0, maximum: 100 } },
              additionalProperties: false,
            },
            summary: ref("Summary"),
            error: { type: "string" },
            createdAt: { type: "string", format: "date-time" },
            startedAt: { type: "string", format: "date-time" },
            finishedAt: { type: "string", format: "date-time" },
            expiresAt: { type: "string", format: "date-time", description: "When the job and its result are deleted" },
            restarts: { type: "integer", minimum: 1, description: "Times the server stopped while the job ran and ran it again from its input after its restart" },
            links: {
              type: "object",
              required: ["self"],
              properties: { self: { type: "string" }, result: { type: "string" } },
              additionalProperties: false,
            },
          },
          additionalProperties: false,
        },
        Related: {
          type: "object",
          required: ["id", "uri"],
          properties: { id: { type: "string" }, name: { type: "string" }, uri: { type: "string" } },
          additionalProperties: false,
        },
        TypeRef: {
          type: "object",
          required: ["id", "name"],
          properties: { id: { type: "string" }, name: { type: "string" } },
          additionalProperties: false,
        },
        Source: {
          type: "object",
          required: ["source", "graph"],
          properties: {
            source: { type: "string", description: "uai, education, rnsr, wikidata, ror, sirene-ul, sirene-etab" },
            graph: { type: "string" },
            title: { type: "string" },
            publisher: { type: "string" },
            licence: { type: "string" },
            modified: { type: "string", format: "date-time", description: "Date of the newest file of the source" },
            loadedAt: { type: "string", format: "date-time", description: "When refx loaded it" },
          },
          additionalProperties: false,
        },
        Establishment: {
          type: "object",
          required: ["id", "uri", "name", "status", "types", "kinds", "identifiers", "registries", "names", "address", "websites", "parents", "children", "replaces", "replacedBy", "sameAs", "sources"],
          properties: {
            query: {
              type: "object",
              required: ["scheme", "id"],
              properties: { scheme: { type: "string" }, id: { type: "string", description: "The identifier asked, in canonical form" } },
              additionalProperties: false,
            },
            id: { type: "string", description: "The establishment's id in the all service (its refx, Wikidata or ROR URI)" },
            uri: { type: "string" },
            name: { type: "string" },
            description: { type: "string" },
            status: { type: "string", enum: ["active", "closed"] },
            types: { type: "array", items: ref("TypeRef") },
            kinds: { type: "array", items: { type: "string" } },
            identifiers: identifiersObject,
            registries: { type: "object", additionalProperties: { type: "string" }, description: "The registry's page of the first identifier of each scheme" },
            names: {
              type: "array",
              items: {
                type: "object",
                required: ["value", "kind"],
                properties: { value: { type: "string" }, lang: { type: "string" }, kind: { type: "string", enum: ["pref", "alt", "acronym", "unitCode"] } },
                additionalProperties: false,
              },
            },
            address: {
              type: "object",
              properties: { city: { type: "string" }, postcode: { type: "string" }, country: { type: "string" }, lat: { type: "number" }, long: { type: "number" } },
              additionalProperties: false,
            },
            websites: { type: "array", items: { type: "string" } },
            foundingDate: { type: "string" },
            dissolutionDate: { type: "string" },
            parents: { type: "array", items: ref("Related") },
            children: { type: "array", items: ref("Related") },
            replaces: { type: "array", items: ref("Related") },
            replacedBy: { type: "array", items: ref("Related") },
            sameAs: { type: "array", items: { type: "string" } },
            sources: { type: "array", items: ref("Source") },
            alsoHeldBy: { type: "array", items: ref("Related"), description: "Other establishments holding the identifier (a SIREN's sites)" },
          },
          additionalProperties: false,
        },
        SearchHit: {
          type: "object",
          required: ["id", "name", "status", "types", "identifiers"],
          properties: {
            id: { type: "string" },
            name: { type: "string" },
            description: { type: "string" },
            city: { type: "string" },
            country: { type: "string" },
            status: { type: "string", enum: ["active", "closed"] },
            types: { type: "array", items: ref("TypeRef") },
            identifiers: identifiersObject,
          },
          additionalProperties: false,
        },
        AffiliationRequest: {
          type: "object",
          description: "affiliation or affiliations (not both); target and limit may also be given in the query string",
          properties: {
            affiliation: { type: "string", minLength: 1, maxLength: AFFILIATION_MAX_CHARS },
            affiliations: { type: "array", minItems: 1, maxItems: maxAffiliations, items: { type: "string", minLength: 1, maxLength: AFFILIATION_MAX_CHARS } },
            target: affiliationTarget,
            limit: affiliationLimit,
          },
          additionalProperties: false,
        },
        AffiliationSpan: {
          type: "object",
          required: ["text", "start", "end"],
          description: "Where in affiliation: affiliation.slice(start, end) === text",
          properties: { text: { type: "string" }, start: { type: "integer", minimum: 0 }, end: { type: "integer", minimum: 0 } },
          additionalProperties: false,
        },
        AffiliationOrganisation: {
          type: "object",
          required: ["id", "name", "uri", "score", "match", "primary", "mention", "status", "types", "identifiers", "parentOf", "childOf", "features"],
          properties: {
            id: { type: "string", description: "The organisation's id in the target (a UAI, RNSR number, SIRET, QID, ROR id; a URI for all)" },
            name: { type: "string" },
            uri: { type: "string" },
            score: { type: "number", minimum: 0, maximum: 100 },
            match: { type: "boolean", description: "Strong and clearly ahead of what else the same words could name: safe to record without a person checking" },
            primary: { type: "boolean", description: "The organisation the string is an affiliation to" },
            mention: ref("AffiliationSpan"),
            description: { type: "string" },
            city: { type: "string" },
            country: { type: "string", description: "ISO 3166-1 alpha-2" },
            status: { type: "string", enum: ["active", "closed"] },
            types: { type: "array", items: ref("TypeRef") },
            identifiers: identifiersObject,
            parentOf: { type: "array", items: { type: "string" }, description: "Ids of the organisations found in the same string that belong to this one (its laboratories)" },
            childOf: { type: "array", items: { type: "string" }, description: "Ids of the organisations found in the same string that this one belongs to (its tutelles, its university)" },
            features: {
              type: "array",
              items: {
                type: "object",
                required: ["id", "value"],
                properties: { id: { type: "string" }, value: { type: ["number", "boolean"] } },
                additionalProperties: false,
              },
              description: "The evidence behind the score: name_similarity, exact_name, country_match, city_match, department, margin (to the next reading of the same words), ...",
            },
          },
          additionalProperties: false,
        },
        AffiliationSegment: {
          type: "object",
          required: ["text", "start", "end", "kind"],
          properties: {
            text: { type: "string" },
            start: { type: "integer", minimum: 0 },
            end: { type: "integer", minimum: 0 },
            kind: { type: "string", description: "organisation, department, address, city, country, acronym, ..." },
          },
          additionalProperties: false,
        },
        AffiliationItem: {
          type: "object",
          required: [...affiliationRequired],
          properties: affiliationProperties,
          additionalProperties: false,
        },
        AffiliationResult: {
          type: "object",
          required: ["target", ...affiliationRequired],
          properties: { target: { type: "string", enum: [...SERVICE_IDS] }, ...affiliationProperties },
          additionalProperties: false,
        },
        AffiliationBatch: {
          type: "object",
          required: ["target", "results"],
          properties: { target: { type: "string", enum: [...SERVICE_IDS] }, results: { type: "array", items: ref("AffiliationItem"), description: "One per string, in the input's order" } },
          additionalProperties: false,
        },
        AffiliationAnswer: {
          type: "object",
          oneOf: [ref("AffiliationResult"), ref("AffiliationBatch")],
          description: "An AffiliationResult for one string (affiliation), an AffiliationBatch for a list (affiliations)",
        },
        SearchResult: {
          type: "object",
          required: ["q", "target", "results"],
          properties: { q: { type: "string" }, target: { type: "string" }, country: { type: "string" }, results: { type: "array", items: ref("SearchHit") } },
          additionalProperties: false,
        },
      },
    },
  };
}
