// The express application: thin routes over the service state.
import express, { type Request, type Response } from "express";
import { lastErrorHandler } from "./http/errors.ts";
import { apiRouter } from "./api/index.ts";
import { health } from "./health.ts";
import { reconcileRouter } from "./reconcile/index.ts";
import { holdServed, type ServiceState } from "./state.ts";
import { sparqlRouter } from "./sparql-endpoint/router.ts";
import { linkedDataRouter } from "./linked-data/router.ts";
import { exportRouter } from "./export/router.ts";
import { staticRouter } from "./web/static.ts";
import { webRouter } from "./web/router.ts";
import { fileRouter } from "./web/file-router.ts";

export function createApp(state: ServiceState): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  // JSON answers quote what clients sent (unknown ids, property names): <, > and & are escaped so no sniffing browser reads markup.
  app.set("json escape", true);
  // First: every request takes the data served at its start and reads only that (server/state.ts).
  app.use(holdServed(state));
  app.get("/health", health(state));
  app.use(staticRouter());
  app.use("/reconcile", reconcileRouter(state));
  app.use(sparqlRouter(state));
  app.use(linkedDataRouter(state));
  app.use(exportRouter(state));
  app.use("/api", apiRouter(state));
  app.use(webRouter(state));
  app.use(fileRouter());
  app.use((req: Request, res: Response) => {
    res.status(404).json({ error: "not_found", message: `no route for ${req.method} ${req.path}` });
  });
  app.use(lastErrorHandler);
  return app;
}
