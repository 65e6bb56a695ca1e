// Options shared by every command that reads the store, with the same defaults as `npm start`.
import { Option } from "commander";
import { DEFAULT_CACHE_DIR } from "../app/config.ts";
import { defaultServedDataDir } from "../app/sample-notice.ts";

export const dataDirOption = () =>
  new Option("--data-dir <dir>", "directory laid out like ../shared/data").default(defaultServedDataDir(), "what refx download wrote, else the shipped sample");
export const cacheDirOption = () => new Option("--cache-dir <dir>", "where the store is saved").default(DEFAULT_CACHE_DIR);
