// Kept for server/reconcile/properties.ts only, which another change of issue 11 rewrites: the
// checks on text live in app/text.ts. Remove once properties.ts imports from there.
export { cellText, isObject } from "../../app/text.ts";
