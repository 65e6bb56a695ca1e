// The OpenRefine Reconciliation Service API (0.2 and 1.0-draft) under
// /reconcile: one service per identifier space, and one across all sources at
// /reconcile itself. See docs/reconciliation-api.md.
import express from "express";
import { SERVICE_IDS } from "../../reconcile/types.ts";
import type { ServiceState } from "../state.ts";
import { cors, jsonpCallback } from "../http/cors.ts";
import { reconcileErrorHandler } from "../http/errors.ts";
import { jsonBodyParser } from "../limits/json-body.ts";
import { declaredSizeLimit } from "../limits/body-size.ts";
import { serviceRoutes } from "./routes.ts";

/** Bodies are reconciliation batches of at most 50 queries: 1 MB is plenty, and bounds memory. */
export const BODY_LIMIT = "1mb";

export function reconcileRouter(state: ServiceState): express.Router {
  const router = express.Router();
  router.use(cors, jsonpCallback);
  router.use(jsonBodyParser({ limit: BODY_LIMIT, type: ["application/json", "application/*+json"] }));
  router.use(declaredSizeLimit(BODY_LIMIT, 0));
  router.use(express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 100 }));
  // E/v1 first: the same service, with the 1.0-draft manifest (routes.ts).
  for (const service of SERVICE_IDS) {
    if (service !== "all") router.use(`/${service}/v1`, serviceRoutes(state, service, "1.0-draft"));
  }
  router.use("/v1", serviceRoutes(state, "all", "1.0-draft"));
  for (const service of SERVICE_IDS) {
    if (service !== "all") router.use(`/${service}`, serviceRoutes(state, service));
  }
  // Last: the "all" service answers at /reconcile itself, after the named services had their turn.
  router.use("/", serviceRoutes(state, "all"));
  router.use(reconcileErrorHandler);
  return router;
}
