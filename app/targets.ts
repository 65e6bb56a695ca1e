// The service a request or a command names (`target`, `--target`): one of the
// reconciliation services, checked here for every caller.
import { SERVICE_IDS, type ServiceId } from "../reconcile/types.ts";
import { invalidInput, quote } from "./errors.ts";

export const isServiceId = (v: unknown): v is ServiceId => typeof v === "string" && (SERVICE_IDS as readonly string[]).includes(v);

/** `v` as a service id, else invalid input naming `where` and the services. */
export function serviceId(v: unknown, where = "target"): ServiceId {
  if (!isServiceId(v)) throw invalidInput(`${where} must be one of ${SERVICE_IDS.join(", ")}, not ${quote(v)}`);
  return v;
}
