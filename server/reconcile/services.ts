// The six reconciliation services: where each lives, what its ids are, and the
// URI spaces and view templates its manifest announces (docs/reconciliation-api.md).
import type { Request } from "express";
import type { ServiceId } from "../../reconcile/types.ts";
import { PREFIXES } from "../../vocab/namespaces.ts";

export interface ServiceInfo {
  id: ServiceId;
  /** Path of the service endpoint on this server. */
  path: string;
  name: string;
  /** What the ids written in OpenRefine's column are. */
  ids: string;
  /** Prefix that, followed by an id, gives the entity's URI (refx's own for French registries). */
  identifierSpace(base: string): string;
  /** 0.2 view template (`{{id}}`) and its RFC 6570 form for 1.0-draft. */
  view(base: string): { v02: string; v10: string };
}

const refx = (scheme: string, name: string, ids: string): Omit<ServiceInfo, "id" | "path"> => ({
  name,
  ids,
  identifierSpace: (base) => `${base}/id/${scheme}/`,
  view: (base) => ({ v02: `${base}/id/${scheme}/{{id}}`, v10: `${base}/id/${scheme}/{id}` }),
});

export const SERVICES: Record<ServiceId, ServiceInfo> = {
  uai: { id: "uai", path: "/reconcile/uai", ...refx("uai", "refx UAI: French higher-education establishments", "UAI codes (0751717J)") },
  rnsr: { id: "rnsr", path: "/reconcile/rnsr", ...refx("rnsr", "refx RNSR: French public research structures", "RNSR numbers (199811842K)") },
  siret: { id: "siret", path: "/reconcile/siret", ...refx("siret", "refx SIRET: Sirene establishments of education and research", "SIRET numbers (19751717000019)") },
  wikidata: {
    id: "wikidata", path: "/reconcile/wikidata", name: "refx Wikidata: higher-education and research establishments", ids: "Wikidata QIDs (Q999763)",
    identifierSpace: () => PREFIXES.wd,
    view: () => ({ v02: "https://www.wikidata.org/wiki/{{id}}", v10: "https://www.wikidata.org/wiki/{id}" }),
  },
  ror: {
    id: "ror", path: "/reconcile/ror", name: "refx ROR: research organisations", ids: "ROR ids (002t25c44)",
    identifierSpace: () => "https://ror.org/",
    view: () => ({ v02: "https://ror.org/{{id}}", v10: "https://ror.org/{id}" }),
  },
  all: {
    id: "all", path: "/reconcile", name: "refx: all ESR referentials (UAI, RNSR, SIRET, Wikidata, ROR)", ids: "entity URIs",
    identifierSpace: (base) => `${base}/id/`,
    // Ids are whole URIs: `{+id}` keeps their reserved characters in RFC 6570.
    view: () => ({ v02: "{{id}}", v10: "{+id}" }),
  },
};

/** Every entity of every service is a schema:Organization (docs/model.md). */
export const SCHEMA_SPACE = PREFIXES.schema + "Organization";

/** Batches larger than this are refused; the manifest announces it so clients split. */
export const BATCH_SIZE = 50;

/**
 * Where the client reached this server: sub-service URLs in the 0.2 manifest
 * (suggest, preview, extend) must be callable by it, whatever --base-uri says.
 * Falls back to the base when the Host header is not a plain host[:port].
 */
export function origin(req: Request, base: string): string {
  const host = req.get("host");
  return host && /^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host) ? `${req.protocol}://${host}` : base;
}
