import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { makeSelfSignedCert } from '../../support/self-signed-cert.js';
import { startTestServer, track } from '../../support/start-test-server.js';
import { TestSite } from '../../support/test-site.js';

describe('HTTP endpoints', () => {
  it('answers /healthz with status, uptime, rooms and sites', async () => {
    const server = await startTestServer();
    track(await TestSite.join(server.signalUrl, 'lobby', 'a', 'test-key'));
    track(await TestSite.join(server.signalUrl, 'lobby', 'b', 'test-key'));
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toMatchObject({
      status: 'ok',
      uptimeSeconds: expect.any(Number),
      rooms: 1,
      sites: 2,
    });
  });

  it("adds the embedding host's own fields to /healthz", async () => {
    const server = await startTestServer({ health: () => ({ kiosks: [{ site: 'x' }] }) });
    expect(await (await fetch(`${server.url}/healthz`)).json()).toMatchObject({
      status: 'ok',
      kiosks: [{ site: 'x' }],
    });
  });

  it('exposes connections, rooms, sites, relayed messages, refusals by code and the process memory on /metrics', async () => {
    const server = await startTestServer();
    const a = track(await TestSite.join(server.signalUrl, 'lobby', 'a', 'test-key'));
    const b = track(await TestSite.join(server.signalUrl, 'lobby', 'b', 'test-key'));
    a.send({ type: 'signal', data: 1 });
    a.send({ type: 'signal', data: 2 });
    await b.next('signal');
    await b.next('signal');
    const third = track(await TestSite.connect(server.signalUrl));
    third.send({ type: 'join', v: 1, room: 'lobby', site: 'c', key: 'wrong' });
    await third.closedWithin();
    const response = await fetch(`${server.url}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/^portal_signaling_connections 2$/m);
    expect(text).toMatch(/^portal_signaling_rooms 1$/m);
    expect(text).toMatch(/^portal_signaling_sites 2$/m);
    expect(text).toMatch(/^portal_signaling_messages_relayed_total 2$/m);
    expect(text).toMatch(/^portal_signaling_refusals_total\{code="unauthorized"\} 1$/m);
    expect(text).toMatch(/^portal_signaling_connections_accepted_total 3$/m);
    // The process's default metrics, which surface.md promises (the soak reads the host's heap).
    expect(text).toMatch(/^process_resident_memory_bytes \d+$/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d+$/m);
  });

  it('serves a placeholder page at / when no renderer is built, and the renderer when it is', async () => {
    const bare = await startTestServer({ staticDir: null });
    const placeholder = await fetch(`${bare.url}/`);
    expect(placeholder.status).toBe(200);
    expect(await placeholder.text()).toMatch(/npm run build/);

    const dir = mkdtempSync(join(tmpdir(), 'portal-static-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>built renderer</title>');
    const built = await startTestServer({ staticDir: dir });
    expect(await (await fetch(`${built.url}/`)).text()).toMatch(/built renderer/);
    expect((await fetch(`${built.url}/../../etc/passwd`)).status).toBe(404);
  });

  it('refuses other methods with 405 and WebSockets off /signal with 404', async () => {
    const server = await startTestServer();
    expect((await fetch(`${server.url}/healthz`, { method: 'POST' })).status).toBe(405);
    const stray = new WebSocket(server.signalUrl.replace('/signal', '/elsewhere'));
    const status = await new Promise<number | undefined>((resolve) => {
      stray.on('unexpected-response', (_req, res) => resolve(res.statusCode));
      stray.on('error', () => resolve(undefined));
    });
    expect(status).toBe(404);
  });

  it('says clearly when the port is taken', async () => {
    const first = await startTestServer();
    await expect(startTestServer({ port: first.port })).rejects.toThrow(/Port \d+ is already in use.*--port/);
  });

  it('serves https and wss with a certificate', async () => {
    const { cert, key } = makeSelfSignedCert();
    const server = await startTestServer({ tls: { cert, key } });
    expect(server.url).toMatch(/^https:\/\//);
    expect(server.signalUrl).toMatch(/^wss:\/\//);
    const body = await new Promise<string>((resolve, reject) => {
      request(`${server.url}/healthz`, { ca: cert }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve(text));
      })
        .on('error', reject)
        .end();
    });
    expect(JSON.parse(body)).toMatchObject({ status: 'ok' });
    const socket = new WebSocket(server.signalUrl, { ca: cert });
    const joined = await new Promise<unknown>((resolve, reject) => {
      socket.on('open', () =>
        socket.send(JSON.stringify({ type: 'join', v: 1, room: 'r', site: 's', key: 'test-key' })),
      );
      socket.on('message', (data) => resolve(JSON.parse(String(data))));
      socket.on('error', reject);
    });
    socket.terminate();
    expect(joined).toMatchObject({ type: 'joined', room: 'r', site: 's' });
  });

  it('closes every client with 1001 when it stops', async () => {
    const server = await startTestServer();
    const a = track(await TestSite.join(server.signalUrl, 'r', 'a', 'test-key'));
    const waiting = track(await TestSite.connect(server.signalUrl));
    await server.close();
    expect((await a.closedWithin()).code).toBe(1001);
    expect((await waiting.closedWithin()).code).toBe(1001);
  });
});
