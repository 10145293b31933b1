import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { startTestServer, track } from '../../support/start-test-server.js';
import { TestSite } from '../../support/test-site.js';

const KEY = 'test-key';
const SECRET = 'turn-shared-secret';
const TURN_URLS = ['turn:127.0.0.1:3478?transport=udp', 'turns:turn.example.org:5349?transport=tcp'];
const STUN = { urls: 'stun:stun.example.org:3478' };
const join = async (url: string, site: string, room = 'lobby') => track(await TestSite.join(url, room, site, KEY));
const connect = async (url: string) => track(await TestSite.connect(url));

/** What coturn expects for `site` at `expiry`, computed here rather than taken from the server. */
const expected = (site: string, expiry: number) => {
  const username = `${expiry}:${site}`;
  return { urls: TURN_URLS, username, credential: createHmac('sha1', SECRET).update(username).digest('base64') };
};

describe('ice servers', () => {
  it('gives each site, in joined, TURN credentials for its own name and how long they last', async () => {
    const server = await startTestServer({
      iceServers: [STUN],
      turn: { urls: TURN_URLS, secret: SECRET, ttl: 3_600 },
      clock: () => 1_700_000_000_000,
    });
    const a = await connect(server.signalUrl);
    a.send({ type: 'join', v: 1, room: 'lobby', site: 'dublin', key: KEY });
    expect(await a.next('joined')).toEqual({
      type: 'joined',
      room: 'lobby',
      site: 'dublin',
      peers: [],
      iceServers: [STUN, expected('dublin', 1_700_003_600)],
      iceServersTtl: 3_600,
    });
    const b = await connect(server.signalUrl);
    b.send({ type: 'join', v: 1, room: 'lobby', site: 'oslo', key: KEY });
    expect((await b.next('joined')).iceServers).toEqual([STUN, expected('oslo', 1_700_003_600)]);
  });

  it('leaves iceServersTtl out of joined when the server has no TURN secret', async () => {
    const server = await startTestServer({ iceServers: [STUN] });
    const joined = (await join(server.signalUrl, 'dublin')).history[0];
    expect(joined).toEqual({ type: 'joined', room: 'lobby', site: 'dublin', peers: [], iceServers: [STUN] });
  });

  it('answers ice-servers with fresh credentials that expire later than the last', async () => {
    let now = 1_700_000_000_000;
    const server = await startTestServer({ turn: { urls: TURN_URLS, secret: SECRET, ttl: 600 }, clock: () => now });
    const a = await join(server.signalUrl, 'dublin');
    expect(a.history[0]).toMatchObject({ iceServers: [expected('dublin', 1_700_000_600)], iceServersTtl: 600 });
    now += 250_000;
    a.send({ type: 'ice-servers' });
    expect(await a.next('ice-servers')).toEqual({
      type: 'ice-servers',
      iceServers: [expected('dublin', 1_700_000_850)],
      iceServersTtl: 600,
    });
  });

  it('answers ice-servers with the fixed list, or an empty one, when the server has no TURN secret', async () => {
    const withStun = await startTestServer({ iceServers: [STUN] });
    const a = await join(withStun.signalUrl, 'dublin');
    a.send({ type: 'ice-servers' });
    expect(await a.next('ice-servers')).toEqual({ type: 'ice-servers', iceServers: [STUN] });
    const bare = await startTestServer();
    const b = await join(bare.signalUrl, 'oslo');
    b.send({ type: 'ice-servers' });
    expect(await b.next('ice-servers')).toEqual({ type: 'ice-servers', iceServers: [] });
  });

  it('refuses ice-servers before join with the non-fatal not-joined, and hands out nothing', async () => {
    const server = await startTestServer({ turn: { urls: TURN_URLS, secret: SECRET, ttl: 600 } });
    const a = await connect(server.signalUrl);
    a.send({ type: 'ice-servers' });
    expect(await a.next('error')).toEqual({
      type: 'error',
      code: 'not-joined',
      message: 'Send "join" before "ice-servers".',
    });
    a.send({ type: 'join', v: 1, room: 'lobby', site: 'dublin', key: KEY });
    await a.next('joined');
    expect(a.history.map((m) => m.type)).toEqual(['error', 'joined']);
  });

  it('sends fresh credentials unasked at half their lifetime, counted from the last it sent', async () => {
    // A two-second lifetime: the server pushes a second after it last gave this connection some.
    const server = await startTestServer({ turn: { urls: TURN_URLS, secret: SECRET, ttl: 2 } });
    const a = await join(server.signalUrl, 'dublin');
    const joinedAt = Date.now();
    const pushed = await a.next('ice-servers', 3_000);
    expect(Date.now() - joinedAt).toBeGreaterThanOrEqual(900);
    expect(pushed).toMatchObject({ iceServersTtl: 2, iceServers: [{ urls: TURN_URLS }] });
    const firstExpiry = Number(pushed.iceServers[0]!.username!.split(':')[0]);
    expect(firstExpiry).toBeGreaterThanOrEqual(Math.ceil(joinedAt / 1000) + 2);

    // Asking half way to the next push moves that push: a second after the answer, not before.
    await new Promise((resolve) => setTimeout(resolve, 500));
    a.send({ type: 'ice-servers' });
    await a.next('ice-servers');
    const answeredAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(a.received).toEqual([]);
    await a.next('ice-servers', 2_000);
    expect(Date.now() - answeredAt).toBeGreaterThanOrEqual(900);
  });

  it('counts ice-servers against the rate limit like any other message', async () => {
    const server = await startTestServer();
    const a = await join(server.signalUrl, 'dublin');
    for (let i = 0; i < 300; i++) a.send({ type: 'ice-servers' });
    expect((await a.next('error')).code).toBe('rate-limited');
    expect((await a.closedWithin()).code).toBe(4429);
  });
});
