// The bridge for the supervised-Chromium shell: the same contract as Electron's IPC, over
// `POST /bridge/<call>` on the kiosk host's local port, with a per-launch secret the page gets
// in its URL fragment (never sent in a request line, never logged). The host's events reach the
// page over `POST /bridge/events`: a response that stays open, one JSON line an event.
// Only this machine's kiosk page may call: a request from another address, to a name that is
// not loopback (DNS rebinding) or from another site's page (Origin) is refused before its
// secret is looked at, even where the host's port is open to the network (it hosts signaling).

import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Logger } from '../../app/log/logger.js';
import type { BridgeEvents } from '../../native-bridge/bridge-events.js';
import { isBridgeCall, parseBridgeArgs, type BridgeHandlers } from '../../native-bridge/contract.js';
import { bridgeRequestProblem } from '../signaling/request-guard.js';

const MAX_BODY_BYTES = 16 * 1024;
const PREFIX = '/bridge/';
/** A blank line this often keeps an idle event stream from looking dead to proxies and sockets. */
const KEEPALIVE_MS = 15_000;

/** One display's bridge: its per-launch secret and what its calls do. */
export interface BridgeEndpoint {
  readonly secret: string;
  readonly handlers: BridgeHandlers;
  readonly events: BridgeEvents;
}

export function createHttpBridge(endpoints: readonly BridgeEndpoint[], logger: Logger) {
  const expected = endpoints.map((endpoint) => ({ digest: digest(endpoint.secret), endpoint }));
  return (req: IncomingMessage, res: ServerResponse, path: string): boolean => {
    if (!path.startsWith(PREFIX)) return false;
    const call = path.slice(PREFIX.length);
    const reply = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    const refused = bridgeRequestProblem({
      remoteAddress: req.socket.remoteAddress,
      host: req.headers.host,
      origin: req.headers.origin,
      proxied: ['forwarded', 'x-forwarded-for', 'via'].some((header) => req.headers[header] !== undefined),
      scheme: (req.socket as Partial<TLSSocket>).encrypted === true ? 'https' : 'http',
    });
    if (refused !== null) {
      logger.warn('bridge-refused', { call: call.slice(0, 40), reason: refused.reason });
      reply(403, { ok: false, error: refused.message });
      req.resume();
      return true;
    }
    if (req.method !== 'POST') {
      reply(405, { ok: false, error: 'Bridge calls are POST requests.' });
      return true;
    }
    const authorization = req.headers['authorization'] ?? '';
    // `Bearer SECRET` exactly, as the page sends it; anything else compares as no secret.
    const token = digest(authorization.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : '');
    // Every candidate is compared, so the time taken says nothing about which one matched.
    let endpoint: BridgeEndpoint | null = null;
    for (const candidate of expected) if (timingSafeEqual(token, candidate.digest)) endpoint = candidate.endpoint;
    if (endpoint === null) {
      logger.warn('bridge-refused', { call: call.slice(0, 40), reason: 'secret' });
      reply(401, { ok: false, error: 'Bridge call refused: wrong or missing secret.' });
      return true;
    }
    if (call === 'events') {
      streamEvents(req, res, endpoint.events);
      return true;
    }
    const chosen = endpoint.handlers;
    if (!isBridgeCall(call)) {
      reply(404, { ok: false, error: `No bridge call named '${call.slice(0, 40)}'.` });
      return true;
    }
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reply(413, { ok: false, error: `Bridge call ${call}: the body is over ${MAX_BODY_BYTES} bytes.` });
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) return;
      let payload: unknown;
      try {
        payload = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
      } catch {
        reply(400, { ok: false, error: `Bridge call ${call}: the body is not JSON.` });
        return;
      }
      const parsed = parseBridgeArgs(call, payload);
      if (!parsed.ok) {
        logger.warn('bridge-refused', { call, reason: 'payload' });
        reply(400, { ok: false, error: parsed.error });
        return;
      }
      // Handlers may answer at once or with a promise (a PIN check, a save to disk).
      Promise.resolve()
        .then(() => (chosen[call] as (args: unknown) => unknown)(parsed.value))
        .then(
          (result) => reply(200, { ok: true, result: result ?? null }),
          (error: unknown) => reply(500, { ok: false, error: (error as Error).message }),
        );
    });
    return true;
  };
}

function streamEvents(req: IncomingMessage, res: ServerResponse, events: BridgeEvents): void {
  req.resume();
  res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
  res.write('\n');
  const unsubscribe = events.subscribe((event, payload) => res.write(`${JSON.stringify({ event, payload })}\n`));
  const keepalive = setInterval(() => res.write('\n'), KEEPALIVE_MS);
  res.on('close', () => {
    clearInterval(keepalive);
    unsubscribe();
  });
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
