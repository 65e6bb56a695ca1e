// Says plainly when refx serves the small sample shipped with it instead of
// the real referentials, and how to get them: on the home page, in /health
// and in the server's log. One wording, here.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { discoverSources } from "../data/load.ts";
import { DEFAULT_DATA_DIR, SAMPLE_DATA_DIR } from "./config.ts";

export const GET_REAL_DATA = "npx refx download && npm start";

export const SAMPLE_NOTICE = {
  fr: `Ce service présente l'échantillon de démonstration livré avec refx (quelques dizaines d'entités fictives ou extraites), pas les référentiels complets. Pour les télécharger puis les servir : ${GET_REAL_DATA}`,
  en: `This service shows the demonstration sample shipped with refx (a few dozen made-up or extracted entities), not the full referentials. To download and serve them: ${GET_REAL_DATA}`,
} as const;

export function isSampleDataDir(dataDir: string): boolean {
  return resolve(dataDir) === resolve(SAMPLE_DATA_DIR);
}

/**
 * What `npm start` serves without --data-dir: what `refx download` wrote to
 * the default data directory when it holds a source file, else the sample.
 */
export function defaultServedDataDir(): string {
  if (existsSync(DEFAULT_DATA_DIR)) {
    try {
      discoverSources(DEFAULT_DATA_DIR);
      return DEFAULT_DATA_DIR;
    } catch {
      // Nothing recognised there (an interrupted first download): the sample, said so.
    }
  }
  return SAMPLE_DATA_DIR;
}
