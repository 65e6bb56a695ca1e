// How long the server keeps an idle connection open between requests.
import type { Server } from "node:http";

/**
 * Longer than the clients' own idle limit, so a client never sends a request on a connection the
 * server is closing at that moment ("other side closed", the request lost): Node's default (5 s) is
 * one second over undici's (fetch, 4 s), a margin an event loop busy for a second eats; load
 * balancers keep idle connections up to 60 s (AWS's default), so the usual advice is past that.
 */
export const KEEP_ALIVE_MS = 65_000;

export function keepConnections(server: Server): Server {
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  // Node requires the headers' limit to be over the keep-alive one, or an idle connection's next request is cut.
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  return server;
}
