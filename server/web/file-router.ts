// GET /file: the page that reconciles a CSV in the browser (server/web/file-page.ts).
import express, { type Router } from "express";
import { filePage } from "./file-page.ts";
import { pickLang } from "../html/i18n.ts";

export function fileRouter(): Router {
  const router = express.Router();
  router.get("/file", (req, res) => {
    res.vary("Accept-Language").type("html").send(filePage(pickLang(req), req.originalUrl));
  });
  return router;
}
