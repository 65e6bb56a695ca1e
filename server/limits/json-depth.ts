// JSON is checked for depth before it is parsed: JSON.parse copes with deep
// nesting, but code after it that walks a value (JSON.stringify of a quoted
// value, property values of a reconciliation query) recurses, and a body
// nested 100,000 deep overflowed the stack and answered 500. No request of
// these APIs needs more than a few levels.

/** Arrays and objects inside one another, at most. */
export const MAX_JSON_DEPTH = 32;

/** The deepest nesting of arrays and objects in a JSON text (strings skipped); stops counting past `stopAt`. */
export function jsonDepth(text: string | Buffer, stopAt = Infinity): number {
  const s = typeof text === "string" ? text : text.toString("latin1");
  let depth = 0;
  let max = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) {
      // A string: skip to its closing quote, past escapes.
      for (i++; i < s.length && s.charCodeAt(i) !== 0x22; i++) if (s.charCodeAt(i) === 0x5c) i++;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max && (max = depth) > stopAt) return max;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

export function tooDeepMessage(what: string): string {
  return `${what} nests arrays and objects more than ${MAX_JSON_DEPTH} deep; no request of this API needs more than a few levels`;
}

export const isTooDeep = (text: string | Buffer) => jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH;

/** body-parser's error type for a body refused by the check below (mapped to 400 `json_too_deep` with the other body errors). */
export const TOO_DEEP_TYPE = "entity.too.deep";
