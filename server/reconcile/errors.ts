// Kept for server/reconcile/properties.ts only, which another change of issue 11 rewrites: the
// refusals live in server/http/errors.ts. Remove once properties.ts imports from there.
export { quote } from "../http/errors.ts";
