// The service manifest, returned on GET of a service endpoint without query.
// The 0.2 and 1.0-draft schemas disagree on one field only: `suggest` holds
// objects with service URLs in 0.2 and booleans in 1.0-draft, and OpenRefine
// (0.2) breaks on booleans. So each manifest announces one version: 0.2's at
// the service endpoint E, carrying every 1.0-draft field that does not clash;
// 1.0-draft's at E/v1 (or E?version=1.0-draft), with its `suggest` and RFC
// 6570 view template. Both endpoints answer every route of both versions.
import { TYPES, type ServiceId, type TypeInfo } from "../../reconcile/types.ts";
import type { Matcher } from "../../reconcile/matcher.ts";
import { badRequest, quote } from "../http/errors.ts";
import { EXTEND_SETTINGS_02, EXTEND_SETTINGS_10 } from "./extend.ts";
import { BATCH_SIZE, SCHEMA_SPACE, SERVICES } from "./services.ts";

export const VERSIONS = ["0.2", "1.0-draft"] as const;
export type Version = (typeof VERSIONS)[number];

export const PREVIEW_SIZE = { width: 420, height: 320 };

export function manifestVersion(v: unknown, fallback: Version = "0.2"): Version {
  if (v === undefined) return fallback;
  if (v === "0.2") return "0.2";
  if (v === "1.0-draft" || v === "1.0") return "1.0-draft";
  throw badRequest(`version ${quote(v)} is not served; versions are ${VERSIONS.join(", ")}`);
}

function defaultTypes(service: ServiceId, matcher: Matcher | undefined): TypeInfo[] {
  const types = matcher?.types(service) ?? [];
  const list = types.length ? types : TYPES;
  const seen = new Set<string>();
  return list.filter((t) => !seen.has(t.id) && seen.add(t.id)).map(({ id, name }) => ({ id, name }));
}

/** `endpoint`: the URL the client reached the service at, which sub-service URLs are relative to. */
export function manifest(service: ServiceId, base: string, endpoint: string, matcher: Matcher | undefined, version: Version) {
  const info = SERVICES[service];
  const view = info.view(base);
  const sub = (path: string) => ({ service_url: endpoint, service_path: path });
  return {
    // One version a manifest: a client that reads `versions` must be able to trust the rest.
    versions: [version],
    name: info.name,
    identifierSpace: info.identifierSpace(base),
    schemaSpace: SCHEMA_SPACE,
    defaultTypes: defaultTypes(service, matcher),
    view: { url: version === "0.2" ? view.v02 : view.v10 },
    preview: { url: `${endpoint}/preview?id={{id}}`, ...PREVIEW_SIZE },
    suggest:
      version === "0.2"
        ? { entity: sub("/suggest/entity"), type: sub("/suggest/type"), property: sub("/suggest/property") }
        : { entity: true, type: true, property: true },
    extend: {
      propose_properties: sub("/properties"),
      property_settings: EXTEND_SETTINGS_02,
      proposeProperties: true,
      propertySettings: EXTEND_SETTINGS_10,
    },
    batchSize: BATCH_SIZE,
    standardizedScore: true,
  };
}
