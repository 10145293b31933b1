// The host's events over the HTTP bridge: a page that holds POST /bridge/events open gets each
// event as one JSON line, only with its display's secret, and the host forgets a stream the
// page dropped.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseLinkSettings } from '../../../app/config/link-settings.js';
import { createHttpBridge } from '../../../main/chromium/http-bridge.js';
import { BridgeEvents } from '../../../native-bridge/bridge-events.js';
import type { BridgeHandlers } from '../../../native-bridge/contract.js';
import { silentLogger } from '../../../app/log/logger.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const settings = (() => {
  const parsed = parseLinkSettings({ room: 'lobby', site: 'dublin', width: '640', height: '480' });
  if (!parsed.ok) throw new Error('bad fixture');
  return parsed.settings;
})();

async function bridge(secret: string, events: BridgeEvents): Promise<string> {
  const route = createHttpBridge([{ secret, events, handlers: {} as BridgeHandlers }], silentLogger);
  const server = createServer((req, res) => {
    if (!route(req, res, new URL(req.url ?? '/', 'http://x').pathname)) res.writeHead(404).end();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the HTTP bridge events', () => {
  it("streams each event as a line to the display's page, until the page lets go", async () => {
    const events = new BridgeEvents();
    const base = await bridge('s'.repeat(32), events);
    const abort = new AbortController();
    const response = await fetch(`${base}/bridge/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${'s'.repeat(32)}` },
      body: 'null',
      signal: abort.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    await expect.poll(() => events.listening).toBe(1);
    events.emit('settingsChanged', { settings });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes('}\n')) text += (await reader.read()).value ?? '';
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      { event: 'settingsChanged', payload: { settings } },
    ]);
    abort.abort();
    await expect.poll(() => events.listening).toBe(0);
  });

  it('refuses the stream without the secret', async () => {
    const events = new BridgeEvents();
    const base = await bridge('s'.repeat(32), events);
    const response = await fetch(`${base}/bridge/events`, { method: 'POST', body: 'null' });
    expect(response.status).toBe(401);
    expect(events.listening).toBe(0);
  });
});
