import { describe, expect, it } from 'vitest';
import { startTestServer, track } from '../../support/start-test-server.js';
import { TestSite } from '../../support/test-site.js';

const KEY = 'test-key';
const join = async (url: string, room: string, site: string) => track(await TestSite.join(url, room, site, KEY));

describe('load', () => {
  it('closes a flooding site with rate-limited and 4429 while other rooms keep working', async () => {
    const server = await startTestServer();
    const flooder = await join(server.signalUrl, 'noisy', 'a');
    const victim = await join(server.signalUrl, 'noisy', 'b');
    const calmA = await join(server.signalUrl, 'calm', 'a');
    const calmB = await join(server.signalUrl, 'calm', 'b');
    for (let i = 0; i < 1_000; i++) flooder.send({ type: 'signal', data: i });
    expect(await flooder.next('error')).toMatchObject({ code: 'rate-limited' });
    expect((await flooder.closedWithin()).code).toBe(4429);
    expect(await victim.next('peer-left')).toEqual({ type: 'peer-left', site: 'a', reason: 'lost' });
    // The burst of 200 got through before the limit.
    expect(victim.history.filter((m) => m.type === 'signal').length).toBeGreaterThanOrEqual(200);
    calmA.send({ type: 'signal', data: 'unaffected' });
    expect((await calmB.next('signal')).data).toBe('unaffected');
  });

  it('relays a trickle-ICE burst of 150 candidates without refusing any', async () => {
    const server = await startTestServer();
    const a = await join(server.signalUrl, 'r', 'a');
    const b = await join(server.signalUrl, 'r', 'b');
    a.send({ type: 'signal', data: { type: 'offer', sdp: 'v=0' } });
    for (let i = 0; i < 150; i++) {
      a.send({
        type: 'signal',
        data: { candidate: `candidate:${i} 1 udp 2122260223 127.0.0.1 ${40000 + i} typ host` },
      });
    }
    for (let i = 0; i < 151; i++) await b.next('signal');
    expect(a.history.filter((m) => m.type === 'error')).toEqual([]);
  });

  it('holds 300 rooms at once, each relaying only to its own partner', async () => {
    const server = await startTestServer();
    const rooms = 300;
    const pairs = await Promise.all(
      Array.from({ length: rooms }, async (_, i) => {
        const a = await join(server.signalUrl, `room-${i}`, 'a');
        const b = await join(server.signalUrl, `room-${i}`, 'b');
        return { a, b, i };
      }),
    );
    const health = (await (await fetch(`${server.url}/healthz`)).json()) as { rooms: number; sites: number };
    expect(health).toMatchObject({ rooms, sites: rooms * 2 });
    for (const { a, i } of pairs) a.send({ type: 'signal', data: i });
    for (const { b, i } of pairs) expect((await b.next('signal')).data).toBe(i);
  });

  it('drops a site that stops reading once its send buffer passes 1 MiB', async () => {
    const server = await startTestServer();
    const sender = await join(server.signalUrl, 'r', 'sender');
    const stalled = await join(server.signalUrl, 'r', 'stalled');
    await sender.next('peer-joined');
    // The stalled site's process stops reading its socket; the kernel buffers fill, then the
    // server's send buffer grows past 1 MiB and the server drops the connection.
    const raw = (stalled.socket as unknown as { _socket: { pause(): void } })._socket;
    raw.pause();
    const chunk = 'x'.repeat(60 * 1024);
    for (let i = 0; i < 200; i++) sender.send({ type: 'signal', data: chunk });
    expect(await sender.next('peer-left', 10_000)).toEqual({ type: 'peer-left', site: 'stalled', reason: 'lost' });
    expect(server.logLines.some((line) => line.includes('"event":"backpressure-drop"'))).toBe(true);
  });
});
