// The HTTP bridge of the Chromium shell, over a real socket: what a page (or anyone else on the
// machine) gets for each kind of request.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../app/log/logger.js';
import { createHttpBridge } from '../../../main/chromium/http-bridge.js';
import { BridgeEvents } from '../../../native-bridge/bridge-events.js';
import type { BridgeHandlers } from '../../../native-bridge/contract.js';

const SECRET = 's'.repeat(32);
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function bridge(handlers: Partial<BridgeHandlers>): Promise<string> {
  const route = createHttpBridge(
    [{ secret: SECRET, events: new BridgeEvents(), handlers: handlers as BridgeHandlers }],
    silentLogger,
  );
  const server = createServer((req, res) => {
    if (!route(req, res, new URL(req.url ?? '/', 'http://x').pathname)) res.writeHead(404).end('not the bridge');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function call(base: string, path: string, body: string, secret: string | null = SECRET, method = 'POST') {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: secret === null ? {} : { authorization: `Bearer ${secret}` },
    ...(method === 'GET' ? {} : { body }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { ok: boolean; result?: unknown; error?: string },
  };
}

describe('the HTTP bridge', () => {
  const handlers: Partial<BridgeHandlers> = {
    adminStatus: () => ({ pinSet: true, lockedMs: 0 }),
    getLogs: () => {
      throw new Error('The log is not there.');
    },
  };

  it('answers a good call with its result', async () => {
    const base = await bridge(handlers);
    expect(await call(base, '/bridge/adminStatus', 'null')).toEqual({
      status: 200,
      body: { ok: true, result: { pinSet: true, lockedMs: 0 } },
    });
  });

  it('refuses a call without the secret, or with another', async () => {
    const base = await bridge(handlers);
    for (const secret of [null, 'x'.repeat(32)]) {
      expect(await call(base, '/bridge/adminStatus', 'null', secret)).toEqual({
        status: 401,
        body: { ok: false, error: 'Bridge call refused: wrong or missing secret.' },
      });
    }
  });

  it('takes POST only, and names calls it does not know', async () => {
    const base = await bridge(handlers);
    expect((await call(base, '/bridge/adminStatus', '', SECRET, 'GET')).status).toBe(405);
    expect(await call(base, '/bridge/format', 'null')).toEqual({
      status: 404,
      body: { ok: false, error: "No bridge call named 'format'." },
    });
  });

  it('refuses a body that is too large, not JSON, or not what the call takes, saying which', async () => {
    const base = await bridge(handlers);
    expect((await call(base, '/bridge/unlock', JSON.stringify({ pin: 'x'.repeat(20_000) }))).status).toBe(413);
    expect(await call(base, '/bridge/unlock', '{pin')).toEqual({
      status: 400,
      body: { ok: false, error: 'Bridge call unlock: the body is not JSON.' },
    });
    expect(await call(base, '/bridge/unlock', JSON.stringify({ pin: 1234 }))).toEqual({
      status: 400,
      body: { ok: false, error: 'Bridge call unlock: `pin` must be a string.' },
    });
  });

  it("passes on a handler's failure as its sentence", async () => {
    const base = await bridge(handlers);
    expect(await call(base, '/bridge/getLogs', JSON.stringify({ token: 't'.repeat(32) }))).toEqual({
      status: 500,
      body: { ok: false, error: 'The log is not there.' },
    });
  });
});
