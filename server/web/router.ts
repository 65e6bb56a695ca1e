// The pages for people that are not linked data: home (/), search results
// (/search), and the OpenRefine how-to (/openrefine). The file-reconciliation
// and SPARQL pages have their own routes (docs/web.md).
import express, { type Router } from "express";
import type { ServiceState } from "../state.ts";
import { homePage } from "./home.ts";
import { openRefinePage } from "./openrefine.ts";
import { searchPage } from "./search-page.ts";

export function webRouter(state: ServiceState): Router {
  const router = express.Router();
  router.get("/", homePage(state));
  router.get("/search", searchPage(state));
  router.get("/openrefine", openRefinePage(state));
  return router;
}
