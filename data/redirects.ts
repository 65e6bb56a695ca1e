// Outgoing requests follow redirects one hop at a time, each hop checked
// before it is sent: fetch's own `redirect: "follow"` checks nothing, so an
// allow-listed SPARQL endpoint answering 302 to another address had that
// address fetched and its content returned (issue 15). Used by the SPARQL
// federation (every hop must be an allow-listed endpoint) and the downloads
// (no hop may leave for a loopback or private address, nor drop to http).
import { isIP } from "node:net";

export const MAX_REDIRECTS = 5;

/** Undefined when `next` may be requested after `from`; else why not. */
export type HopCheck = (next: URL, from: URL) => string | undefined;

export class RedirectRefused extends Error {}

/**
 * fetch with redirects followed by hand: a 3xx with a Location is checked
 * with `check` and followed (303, and 301/302 after a POST, as a GET without
 * body, as browsers do), at most MAX_REDIRECTS times.
 */
export async function fetchCheckingRedirects(fetchImpl: typeof fetch, input: string | URL, init: RequestInit, check: HopCheck): Promise<Response> {
  let url = new URL(input);
  let hopInit: RequestInit = { ...init, redirect: "manual" };
  for (let hop = 0; ; hop++) {
    const res = await fetchImpl(url.href, hopInit);
    const location = res.headers.get("location");
    if (res.status < 300 || res.status >= 400 || !location) return res;
    await res.body?.cancel().catch(() => {});
    if (hop >= MAX_REDIRECTS) throw new RedirectRefused(`${url.href} redirected more than ${MAX_REDIRECTS} times`);
    const next = new URL(location, url);
    const refusal = check(next, url);
    if (refusal) throw new RedirectRefused(`refused to follow the redirect from ${url.href} to ${next.href}: ${refusal}`);
    const method = (hopInit.method ?? "GET").toUpperCase();
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === "POST")) {
      const headers = new Headers(hopInit.headers);
      headers.delete("content-type");
      headers.delete("content-length");
      hopInit = { ...hopInit, method: "GET", body: undefined, headers };
    }
    url = next;
  }
}

/** Loopback, private, link-local and unspecified addresses, and localhost names. */
export function isInternalHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  const v = isIP(h);
  if (v === 4) {
    const [a, b] = h.split(".").map(Number);
    return a === 127 || a === 10 || a === 0 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
  }
  if (v === 6) return h === "::1" || h === "::" || h.startsWith("fc") || h.startsWith("fd") || h.startsWith("fe80") || h.startsWith("::ffff:");
  return false;
}

/** The downloads' rule: no hop to an internal address unless the request started on one, and never from https down to http. */
export const downloadHop: HopCheck = (next, from) => {
  if (next.protocol !== "https:" && next.protocol !== "http:") return `${next.protocol} is not http(s)`;
  if (from.protocol === "https:" && next.protocol !== "https:") return "it leaves https for http";
  if (isInternalHost(next.hostname) && !isInternalHost(from.hostname)) return "it points to a local or private address";
  return undefined;
};
