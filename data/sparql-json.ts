// Reads a SPARQL 1.1 JSON results answer as it arrives: the variables, then
// one binding at a time. A national store's records are millions of rows,
// whose JSON text passes V8's longest string (~512 M characters) and whose
// parsed form would be held whole by one JSON.parse. Each binding object is
// cut out of the text by counting braces outside strings and parsed alone.

export interface JsonTerm {
  type: "uri" | "literal" | "typed-literal" | "bnode";
  value: string;
  "xml:lang"?: string;
  datatype?: string;
}

export type Binding = Record<string, JsonTerm>;

/** Yields `head.vars` (an array) first, then each binding. The answer must name its variables before its bindings, as stores write it. */
export async function* streamBindings(res: Response): AsyncGenerator<string[] | Binding> {
  if (!res.body) return;
  const decoder = new TextDecoder();
  let text = "";
  let pos = 0;
  // "head": … "bindings": [  — everything before the first binding is small and read whole.
  let inBindings = false;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    text = text.slice(pos) + decoder.decode(chunk, { stream: true });
    pos = 0;
    if (!inBindings) {
      const key = text.search(/"bindings"\s*:\s*\[/);
      if (key < 0) continue;
      const head = /"vars"\s*:\s*(\[[^\]]*\])/.exec(text.slice(0, key));
      if (!head) throw new Error("the store's JSON answer gives its bindings before its variables");
      yield JSON.parse(head[1]) as string[];
      inBindings = true;
      pos = text.indexOf("[", key) + 1;
    }
    for (;;) {
      const start = nextObject(text, pos);
      if (start === "end") return;
      if (start < 0) break;
      const end = objectEnd(text, start);
      if (end < 0) {
        pos = start;
        break;
      }
      yield JSON.parse(text.slice(start, end)) as Binding;
      pos = end;
    }
  }
  if (!inBindings) return;
  throw new Error("the store's JSON answer ended inside its bindings");
}

/** Where the next binding starts after `pos` (skipping commas and blanks), "end" at the closing bracket, -1 when more text is needed. */
function nextObject(text: string, pos: number): number | "end" {
  for (let i = pos; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b) return i; // {
    if (c === 0x5d) return "end"; // ]
  }
  return -1;
}

/** The index after the `}` closing the object that starts at `start`, or -1 when the text stops before it. */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string: skip to its closing quote, past escapes.
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
      if (i >= text.length) return -1;
    } else if (c === 0x7b) depth++;
    else if (c === 0x7d && --depth === 0) return i + 1;
  }
  return -1;
}
