// HTML for people: one small layout, every value escaped.

export function esc(v: unknown): string {
  return String(v ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** A link; `href` is escaped too, and only http(s) or site-relative targets become links. */
export function link(href: string, text?: string): string {
  if (!/^(https?:\/\/|\/)/i.test(href)) return esc(text ?? href);
  return `<a href="${esc(href)}">${esc(text ?? href)}</a>`;
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:60rem;margin:1.5rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:1.6rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
.uri{font-family:ui-monospace,monospace;font-size:.9rem;color:#555;word-break:break-all}
table{border-collapse:collapse;width:100%;font-size:.92rem}td,th{text-align:left;vertical-align:top;padding:.25rem .5rem;border-bottom:1px solid #eee}
th{width:14rem;color:#444;font-weight:600}.muted{color:#666}.tag{display:inline-block;background:#eef;border-radius:3px;padding:0 .35rem;margin-right:.25rem;font-size:.85rem}
code,pre,textarea{font-family:ui-monospace,monospace;font-size:.88rem}pre{background:#f6f6f6;padding:.6rem;overflow:auto}
textarea{width:100%;box-sizing:border-box}nav a{margin-right:.8rem}footer{margin-top:2rem;font-size:.85rem;color:#666}`;

export interface PageOptions {
  title: string;
  /** `<link rel="alternate">` entries: [href, media type]. */
  alternates?: [string, string][];
  body: string;
  /** `lang` of the page; French by default (server/web/i18n.ts picks it per request). */
  lang?: "fr" | "en";
  /** Site-relative stylesheet and script URLs (served from /assets, never from another host). */
  stylesheets?: string[];
  scripts?: string[];
}

export function page(o: PageOptions): string {
  const alts = (o.alternates ?? []).map(([href, type]) => `<link rel="alternate" type="${esc(type)}" href="${esc(href)}">`).join("\n");
  const css = (o.stylesheets ?? []).map((href) => `<link rel="stylesheet" href="${esc(href)}">`).join("\n");
  const js = (o.scripts ?? []).map((src) => `<script src="${esc(src)}" defer></script>`).join("\n");
  return `<!DOCTYPE html>
<html lang="${o.lang ?? "fr"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(o.title)} · refx</title>
${alts}
<style>${STYLE}</style>
${css}
${js}
</head>
<body>
<nav><a href="/sparql">SPARQL</a><a href="/catalog">Catalogue</a><a href="/void">VoID</a></nav>
${o.body}
<footer>refx: French higher-education and research referentials as linked data.</footer>
</body>
</html>
`;
}

export function errorPage(status: number, title: string, message: string): string {
  return page({ title, body: `<h1>${esc(status)} · ${esc(title)}</h1>\n<p>${esc(message)}</p>` });
}
