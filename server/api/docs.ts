// `GET /api/docs`: the OpenAPI description rendered as one self-contained
// HTML page (no script, no CDN, no external asset): each operation with its
// parameters, request bodies and responses, then the schemas. Generated from
// the same object as /api/openapi.json, so the two cannot disagree.

type Json = Record<string, unknown>;

const esc = (s: unknown) =>
  String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const asObj = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});

/** A schema in one line: `string (enum: a, b)`, `array of Candidate`, a link for a $ref. */
function schemaSummary(schema: unknown): string {
  const s = asObj(schema);
  if (typeof s.$ref === "string") {
    const name = s.$ref.split("/").pop()!;
    return `<a href="#schema-${esc(name)}">${esc(name)}</a>`;
  }
  const type = Array.isArray(s.type) ? s.type.join(" | ") : (s.type as string | undefined) ?? "any";
  if (type === "array") return `array of ${schemaSummary(s.items)}`;
  const bits = [esc(type)];
  if (Array.isArray(s.enum)) bits.push(`(${s.enum.map((e) => `<code>${esc(e)}</code>`).join(", ")})`);
  if (s.default !== undefined) bits.push(`default <code>${esc(s.default)}</code>`);
  if (s.format) bits.push(`<i>${esc(s.format)}</i>`);
  return bits.join(" ");
}

function propertiesTable(schema: Json): string {
  const props = asObj(schema.properties);
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const rows = Object.entries(props).map(
    ([name, p]) =>
      `<tr><td><code>${esc(name)}</code>${required.has(name) ? " *" : ""}</td><td>${schemaSummary(p)}</td><td>${esc(asObj(p).description)}</td></tr>`,
  );
  if (!rows.length) return "";
  return `<table><tr><th>field</th><th>type</th><th>description</th></tr>${rows.join("")}</table>`;
}

function content(c: unknown): string {
  return Object.entries(asObj(c))
    .map(([type, media]) => {
      const schema = asObj(asObj(media).schema);
      const inline = schema.properties ? propertiesTable(schema) : "";
      return `<div class="media"><code>${esc(type)}</code>: ${schemaSummary(schema)} ${esc(schema.description)}${inline}</div>`;
    })
    .join("");
}

function operation(path: string, method: string, op: Json): string {
  const params = ((op.parameters as Json[] | undefined) ?? []).map(
    (p) =>
      `<tr><td><code>${esc(p.name)}</code>${p.required ? " *" : ""}</td><td>${esc(p.in)}</td><td>${schemaSummary(p.schema)}</td><td>${esc(p.description ?? "")}${
        p.example !== undefined ? ` <span class="ex">e.g. <code>${esc(p.example)}</code></span>` : ""
      }</td></tr>`,
  );
  const body = asObj(op.requestBody);
  const responses = Object.entries(asObj(op.responses)).map(
    ([code, r]) => `<tr><td class="code c${esc(code[0])}">${esc(code)}</td><td>${esc(asObj(r).description)}${content(asObj(r).content)}</td></tr>`,
  );
  return `<section class="op" id="${esc(op.operationId)}">
<h3><span class="method ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code></h3>
<p class="summary">${esc(op.summary)}</p>
${op.description ? `<p>${esc(op.description)}</p>` : ""}
${params.length ? `<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>type</th><th>description</th></tr>${params.join("")}</table>` : ""}
${body.content ? `<h4>Request body</h4>${content(body.content)}` : ""}
<h4>Responses</h4><table>${responses.join("")}</table>
</section>`;
}

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d2330;background:#fafbfc}
main{max-width:980px;margin:0 auto;padding:24px}
h1{margin-bottom:0}h2{border-bottom:2px solid #dde3ea;padding-bottom:4px;margin-top:40px}
nav ul{columns:2;padding-left:18px}
.op{background:#fff;border:1px solid #dde3ea;border-radius:6px;padding:4px 16px 12px;margin:16px 0}
.method{display:inline-block;min-width:58px;text-align:center;border-radius:4px;color:#fff;font-size:13px;padding:2px 6px}
.get{background:#2f7d4f}.post{background:#2859a8}.delete{background:#a83228}
table{border-collapse:collapse;width:100%;margin:6px 0;font-size:14px}
td,th{border:1px solid #e3e7ec;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f1f4f7}
code{font:13px ui-monospace,monospace;background:#f1f4f7;padding:0 3px;border-radius:3px}
.code{font-weight:bold;width:48px}.c2{color:#2f7d4f}.c4{color:#a86a00}.c5{color:#a83228}
.media{margin:4px 0}.ex{color:#5a6573}.summary{font-weight:600}
`;

export function docsHtml(spec: Json): string {
  const info = asObj(spec.info);
  const ops: string[] = [];
  const toc: string[] = [];
  for (const [path, item] of Object.entries(asObj(spec.paths))) {
    for (const [method, op] of Object.entries(asObj(item))) {
      const o = asObj(op);
      ops.push(operation(path, method, o));
      toc.push(`<li><a href="#${esc(o.operationId)}">${esc(method.toUpperCase())} ${esc(path)}</a>: ${esc(o.summary)}</li>`);
    }
  }
  const schemas = Object.entries(asObj(asObj(spec.components).schemas)).map(
    ([name, s]) =>
      `<section class="op" id="schema-${esc(name)}"><h3>${esc(name)}</h3><p>${schemaSummary({ ...asObj(s), $ref: undefined })} ${esc(asObj(s).description)}</p>${propertiesTable(asObj(s))}</section>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(info.title)}</title><style>${STYLE}</style></head>
<body><main>
<h1>${esc(info.title)} <small>${esc(info.version)}</small></h1>
<p><b>${esc(info.summary)}</b></p><p>${esc(info.description)}</p>
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI ${esc(spec.openapi)}).</p>
<nav><h2>Contents</h2><ul>${toc.join("")}</ul></nav>
<h2>Operations</h2>${ops.join("\n")}
<h2>Schemas</h2>${schemas.join("\n")}
</main></body></html>`;
}
