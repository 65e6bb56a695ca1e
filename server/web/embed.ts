// Data handed from a page to its script: JSON inside <script type="application/json">,
// read with JSON.parse(textContent). Only "</script" could end the element early, so
// every "<" is written as \u003c (JSON.parse reads it back as "<").

export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}
