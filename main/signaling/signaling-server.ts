// The bundled signaling server: WebSockets on /signal (docs/protocol.md), the built renderer at
// /, GET /healthz and GET /metrics, on one plain node:http or node:https server. A library first:
// `portal serve` and the kiosk hosts both start it through startSignalingServer(). The page is
// served under its strict CSP and only to names that cannot be rebound (request-guard.ts).

import { existsSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { Duplex } from 'node:stream';
import type { Registry } from 'prom-client';
import sirv from 'sirv';
import { WebSocketServer } from 'ws';
import { silentLogger, type Logger } from '../../app/log/logger.js';
import type { IceServer } from '../../app/signaling/messages.js';
import {
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_SIGNAL_PORT,
  MAX_FRAME_BYTES,
  SIGNAL_PATH,
} from '../../app/signaling/protocol-limits.js';
import { contentSecurityPolicy, pageHeaders } from './content-security-policy.js';
import type { KeyPolicy } from './key-policy.js';
import { pageHostProblem, type HostRule } from './request-guard.js';
import { SignalingHub } from './signaling-hub.js';
import { placeholderPage } from './placeholder-page.js';
import { TurnCredentialIssuer, type TurnOptions } from './turn-credentials.js';

export interface SignalingServerOptions {
  /** Address to listen on; default all IPv4 interfaces, so the partner site can reach it. */
  readonly host?: string;
  /** Port; 0 picks a free one. Default 8787. */
  readonly port?: number;
  readonly keys: KeyPolicy;
  readonly logger?: Logger;
  /** PEM certificate and key: serve https:// and wss:// instead. */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  /** Handed to every site in `joined` and `ice-servers`. */
  readonly iceServers?: readonly IceServer[];
  /**
   * A TURN server sharing a secret with this one (coturn's use-auth-secret): each site gets one
   * more ICE server, with credentials for its own name that expire after `ttl` seconds, renewed
   * at half of that. The secret itself never leaves this process.
   */
  readonly turn?: TurnOptions | null;
  /** Wall clock for the TURN credentials' expiry, in ms since 1970; Date.now when absent. */
  readonly clock?: () => number;
  readonly heartbeatMs?: number;
  readonly joinTimeoutMs?: number;
  /** The built renderer, served at `/`; a placeholder page when absent. */
  readonly staticDir?: string | null;
  /** Extra fields for /healthz, for a host that embeds this server (its `kiosks`). */
  readonly health?: () => Record<string, unknown>;
  /** Registers a host's own series (its kiosks') in this server's /metrics registry, once. */
  readonly metrics?: (registry: Registry) => void;
  /** A host's own routes (the HTTP bridge), tried first; returns true when it answered. */
  readonly routes?: (req: IncomingMessage, res: ServerResponse, path: string) => boolean;
  /**
   * Names besides IP addresses, localhost and this machine's host name that the page answers
   * to (`portal serve --public-name`): the names people and proxies reach this server by.
   */
  readonly publicNames?: readonly string[];
  /**
   * The signaling servers the page's CSP lets it connect to, besides its own origin: a kiosk
   * host's, from its settings. Absent, the request's own `?signal=` (a web page's setting).
   */
  readonly pageSignals?: (req: IncomingMessage) => readonly (string | null)[];
}

export interface SignalingServer {
  /** `http(s)://host:port`, the base of every endpoint. */
  readonly url: string;
  /** `ws(s)://host:port/signal`. */
  readonly signalUrl: string;
  readonly port: number;
  /** Stops accepting, closes every client with 1001, and resolves once all is closed. */
  close(): Promise<void>;
}

/** How long close() waits for clients to answer the close handshake before dropping them. */
const CLOSE_GRACE_MS = 2_000;

export async function startSignalingServer(options: SignalingServerOptions): Promise<SignalingServer> {
  const log = options.logger ?? silentLogger;
  const host = options.host ?? '0.0.0.0';
  const startedAt = Date.now();
  const hub = new SignalingHub({
    keys: options.keys,
    logger: log,
    iceServers: options.iceServers,
    turn: options.turn ? new TurnCredentialIssuer(options.turn, options.clock) : null,
    joinTimeoutMs: options.joinTimeoutMs,
  });
  const metrics = hub.metrics;
  options.metrics?.(metrics.registry);

  const staticDir = options.staticDir ?? null;
  const serveStatic =
    staticDir !== null && existsSync(staticDir) ? sirv(staticDir, { etag: true, dotfiles: false }) : null;

  const hostRule: HostRule = { names: pageNames(options.publicNames ?? []) };
  const pageSignals = options.pageSignals ?? signalParameter;

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (options.routes?.(req, res, path)) return;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      respond(res, 405, 'text/plain; charset=utf-8', 'Only GET and HEAD are served here.\n', { allow: 'GET, HEAD' });
      return;
    }
    if (path === '/healthz') {
      const counts = hub.counts();
      const body = {
        status: 'ok',
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
        rooms: counts.rooms,
        sites: counts.sites,
        connections: counts.connections,
        ...options.health?.(),
      };
      respond(res, 200, 'application/json', `${JSON.stringify(body)}\n`);
      return;
    }
    if (path === '/metrics') {
      metrics.text().then(
        (text) => respond(res, 200, metrics.contentType, text),
        (error: unknown) => {
          log.error('metrics-failed', { message: String(error) });
          respond(res, 500, 'text/plain; charset=utf-8', 'Metrics could not be collected; see the server log.\n');
        },
      );
      return;
    }
    const refused = pageHostProblem(req.headers.host, hostRule);
    if (refused !== null) {
      log.warn('page-refused', { reason: 'host' });
      respond(res, 403, 'text/plain; charset=utf-8', `${refused}\n`);
      return;
    }
    for (const [name, value] of Object.entries(pageHeaders(contentSecurityPolicy(...pageSignals(req))))) {
      res.setHeader(name, value);
    }
    const notFound = (): void => {
      if (path === '/' || path === '/index.html') respond(res, 200, 'text/html; charset=utf-8', placeholderPage());
      else respond(res, 404, 'text/plain; charset=utf-8', `Nothing at ${path}.\n`);
    };
    if (serveStatic === null) notFound();
    else serveStatic(req, res, notFound);
  };

  const server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, onRequest)
    : createHttpServer(onRequest);

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    perMessageDeflate: false,
    clientTracking: false,
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== SIGNAL_PATH) {
      socket.end(`HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => hub.accept(ws, req.socket.remoteAddress ?? 'unknown'));
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => reject(listenError(error, host, options.port));
    server.once('error', onError);
    server.listen(options.port ?? DEFAULT_SIGNAL_PORT, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (error: Error) => log.error('server-error', { message: error.message }));

  const heartbeat = setInterval(() => hub.heartbeat(), options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
  heartbeat.unref();

  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const scheme = options.tls ? 'https' : 'http';
  const url = `${scheme}://${urlHost}:${port}`;
  log.info('listening', {
    url,
    tls: Boolean(options.tls),
    open: 'open' in options.keys,
    // Where the TURN server is and how long its credentials last; its secret is never logged.
    turn: options.turn ? options.turn.urls.join(',') : null,
    turnTtl: options.turn ? options.turn.ttl : null,
  });

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      clearInterval(heartbeat);
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      hub.closeAll(1001, 'server stopping');
      const grace = setTimeout(() => hub.terminateAll(), CLOSE_GRACE_MS);
      server.closeIdleConnections();
      await serverClosed;
      clearTimeout(grace);
      wss.close();
      log.info('stopped');
    })();
    return closing;
  };

  return { url, signalUrl: `${scheme === 'https' ? 'wss' : 'ws'}://${urlHost}:${port}${SIGNAL_PATH}`, port, close };
}

/** The page answers to these names besides IP literals and localhost: its public names, this machine's. */
function pageNames(publicNames: readonly string[]): string[] {
  const own = hostname().toLowerCase();
  return [...new Set([...publicNames.map((name) => name.toLowerCase()), own, `${own}.local`])];
}

/** A web page's own signaling setting, from the query of the request for it. */
function signalParameter(req: IncomingMessage): readonly (string | null)[] {
  return [new URL(req.url ?? '/', 'http://localhost').searchParams.get('signal')];
}

function respond(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store', ...headers });
  res.end(body);
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number | undefined): Error {
  const where = `${host}:${port ?? DEFAULT_SIGNAL_PORT}`;
  if (error.code === 'EADDRINUSE') {
    return new Error(
      `Port ${port ?? DEFAULT_SIGNAL_PORT} is already in use on ${host}; stop the other program, or choose another port with --port.`,
    );
  }
  if (error.code === 'EACCES') {
    return new Error(
      `Not allowed to listen on ${where}; ports below 1024 need privileges, so choose another with --port.`,
    );
  }
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
    return new Error(`This machine has no address ${host}; choose one of its own with --host (0.0.0.0 for all).`);
  }
  return new Error(`Could not listen on ${where}: ${error.message}`);
}
