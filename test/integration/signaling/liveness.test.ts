import { describe, expect, it } from 'vitest';
import { startTestServer, track } from '../../support/start-test-server.js';
import { TestSite } from '../../support/test-site.js';

describe('liveness', () => {
  it('closes a connection that sends no join in time with join-timeout and 4408', async () => {
    const server = await startTestServer({ joinTimeoutMs: 200 });
    const site = track(await TestSite.connect(server.signalUrl));
    expect(await site.next('error', 2_000)).toMatchObject({ code: 'join-timeout' });
    expect((await site.closedWithin()).code).toBe(4408);
  });

  it('uses five seconds as the join timeout by default', async () => {
    const server = await startTestServer();
    const site = track(await TestSite.connect(server.signalUrl));
    const started = Date.now();
    expect((await site.closedWithin(8_000)).code).toBe(4408);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_900);
  });

  it('keeps a joined site that answers pings, and drops one that stopped answering', async () => {
    const server = await startTestServer({ heartbeatMs: 100 });
    const alive = track(await TestSite.join(server.signalUrl, 'r', 'alive', 'test-key'));
    const silent = track(await TestSite.connect(server.signalUrl, { autoPong: false }));
    silent.send({ type: 'join', v: 1, room: 'r', site: 'silent', key: 'test-key' });
    await silent.next('joined');
    // Two missed pongs: between 200 and 300 ms of heartbeats.
    expect(await alive.next('peer-left', 2_000)).toEqual({ type: 'peer-left', site: 'silent', reason: 'lost' });
    await silent.closedWithin();
    // Five more heartbeats answered: long past the two a silent site may miss.
    let pings = 0;
    alive.socket.on('ping', () => pings++);
    await expect.poll(() => pings, { timeout: 5_000 }).toBeGreaterThanOrEqual(5);
    expect(alive.socket.readyState).toBe(alive.socket.OPEN);
  });
});
