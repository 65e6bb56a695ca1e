// What the server is serving: the store and the report of its last load.
// Routes read it through this one object, so a reload swaps data in one place.
import type { LoadProgress, LoadReport } from "../data/load.ts";
import type { RefStore } from "../data/store.ts";

export interface ServiceState {
  base: string;
  store: RefStore;
  status: "loading" | "ready" | "failed";
  report?: LoadReport;
  progress?: LoadProgress;
  error?: string;
  loadedAt?: Date;
}
