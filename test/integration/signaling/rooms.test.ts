import { describe, expect, it } from 'vitest';
import { startTestServer, track } from '../../support/start-test-server.js';
import { TestSite } from '../../support/test-site.js';

const KEY = 'test-key';
const join = async (url: string, room: string, site: string, key: string | undefined = KEY) =>
  track(await TestSite.join(url, room, site, key));
const connect = async (url: string) => track(await TestSite.connect(url));

describe('rooms of two', () => {
  it('answers join with the room, the site and the sites already there', async () => {
    const server = await startTestServer();
    const a = await connect(server.signalUrl);
    a.send({ type: 'join', v: 1, room: 'lobby', site: 'dublin', key: KEY });
    expect(await a.next('joined')).toEqual({ type: 'joined', room: 'lobby', site: 'dublin', peers: [] });
    const b = await connect(server.signalUrl);
    b.send({ type: 'join', v: 1, room: 'lobby', site: 'oslo', key: KEY });
    expect(await b.next('joined')).toEqual({ type: 'joined', room: 'lobby', site: 'oslo', peers: ['dublin'] });
    expect(await a.next('peer-joined')).toEqual({ type: 'peer-joined', site: 'oslo' });
  });

  it('relays signal data unchanged, both ways, with the sender named', async () => {
    const server = await startTestServer();
    const a = await join(server.signalUrl, 'lobby', 'dublin');
    const b = await join(server.signalUrl, 'lobby', 'oslo');
    const data = { sdp: 'v=0...', nested: [1, 'two', null, { three: true }], unicode: 'é✓' };
    a.send({ type: 'signal', data });
    expect(await b.next('signal')).toEqual({ type: 'signal', from: 'dublin', data });
    b.send({ type: 'signal', data: 42 });
    expect(await a.next('signal')).toEqual({ type: 'signal', from: 'oslo', data: 42 });
  });

  it('hands the configured ICE servers to every site in joined', async () => {
    const iceServers = [{ urls: 'turn:127.0.0.1:3478', username: 'u', credential: 'c' }];
    const server = await startTestServer({ iceServers });
    const a = await connect(server.signalUrl);
    a.send({ type: 'join', v: 1, room: 'r', site: 's', key: KEY });
    expect((await a.next('joined')).iceServers).toEqual(iceServers);
  });

  it('refuses a third site with room-full and closes it with 4409', async () => {
    const server = await startTestServer();
    await join(server.signalUrl, 'lobby', 'dublin');
    await join(server.signalUrl, 'lobby', 'oslo');
    const third = await connect(server.signalUrl);
    third.send({ type: 'join', v: 1, room: 'lobby', site: 'lima', key: KEY });
    const error = await third.next('error');
    expect(error.code).toBe('room-full');
    expect(error.message).toMatch(/already holds two sites/);
    expect((await third.closedWithin()).code).toBe(4409);
  });

  it('lets a rejoining site replace its older connection, closing the old one with 4001', async () => {
    const server = await startTestServer();
    const partner = await join(server.signalUrl, 'lobby', 'dublin');
    const old = await join(server.signalUrl, 'lobby', 'oslo');
    await partner.next('peer-joined');
    const fresh = await connect(server.signalUrl);
    fresh.send({ type: 'join', v: 1, room: 'lobby', site: 'oslo', key: KEY });
    expect(await fresh.next('joined')).toMatchObject({ peers: ['dublin'] });
    expect((await old.next('error')).code).toBe('replaced');
    expect((await old.closedWithin()).code).toBe(4001);
    // The partner hears the old one leave and the new one arrive, in that order.
    expect(await partner.next('peer-left')).toEqual({ type: 'peer-left', site: 'oslo', reason: 'replaced' });
    expect(await partner.next('peer-joined')).toEqual({ type: 'peer-joined', site: 'oslo' });
    expect(partner.history.map((m) => m.type)).toEqual(['joined', 'peer-joined', 'peer-left', 'peer-joined']);
    // The room still relays between the partner and the new connection, and the old one's close
    // did not make the server announce a second peer-left.
    partner.send({ type: 'signal', data: 'hello' });
    expect(await fresh.next('signal')).toMatchObject({ from: 'dublin', data: 'hello' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(partner.received.filter((m) => m.type === 'peer-left')).toEqual([]);
  });

  it('tells the partner peer-left when a site disconnects abruptly', async () => {
    const server = await startTestServer();
    const a = await join(server.signalUrl, 'lobby', 'dublin');
    const b = await join(server.signalUrl, 'lobby', 'oslo');
    await a.next('peer-joined');
    b.socket.terminate();
    expect(await a.next('peer-left')).toEqual({ type: 'peer-left', site: 'oslo', reason: 'lost' });
    // The place is free again.
    await join(server.signalUrl, 'lobby', 'lima');
    expect(await a.next('peer-joined')).toEqual({ type: 'peer-joined', site: 'lima' });
  });

  it('closes with 1000 on leave and tells the partner', async () => {
    const server = await startTestServer();
    const a = await join(server.signalUrl, 'lobby', 'dublin');
    const b = await join(server.signalUrl, 'lobby', 'oslo');
    b.send({ type: 'leave' });
    expect((await b.closedWithin()).code).toBe(1000);
    expect(await a.next('peer-left')).toEqual({ type: 'peer-left', site: 'oslo', reason: 'left' });
  });

  it('answers ping with pong and the same id, before and after join', async () => {
    const server = await startTestServer();
    const a = await connect(server.signalUrl);
    a.send({ type: 'ping', id: 7 });
    expect(await a.next('pong')).toEqual({ type: 'pong', id: 7 });
    a.send({ type: 'join', v: 1, room: 'r', site: 's', key: KEY });
    await a.next('joined');
    a.send({ type: 'ping' });
    expect(await a.next('pong')).toEqual({ type: 'pong' });
  });

  it('refuses signal before join with the non-fatal not-joined', async () => {
    const server = await startTestServer();
    const a = await connect(server.signalUrl);
    a.send({ type: 'signal', data: 1 });
    expect((await a.next('error')).code).toBe('not-joined');
    a.send({ type: 'join', v: 1, room: 'r', site: 's', key: KEY });
    await a.next('joined');
  });

  it('answers signal while alone with the non-fatal no-peer', async () => {
    const server = await startTestServer();
    const a = await join(server.signalUrl, 'lobby', 'dublin');
    a.send({ type: 'signal', data: 1 });
    expect((await a.next('error')).code).toBe('no-peer');
    a.send({ type: 'ping', id: 1 });
    expect(await a.next('pong')).toEqual({ type: 'pong', id: 1 });
  });

  it('refuses a second join on the same connection without dropping the first', async () => {
    const server = await startTestServer();
    const a = await join(server.signalUrl, 'lobby', 'dublin');
    a.send({ type: 'join', v: 1, room: 'other', site: 'dublin', key: KEY });
    expect(await a.next('error')).toMatchObject({
      code: 'bad-message',
      message: expect.stringMatching(/already joined/),
    });
    const b = await join(server.signalUrl, 'lobby', 'oslo');
    b.send({ type: 'signal', data: 'still here' });
    expect(await a.next('signal')).toMatchObject({ data: 'still here' });
  });

  it('keeps rooms apart', async () => {
    const server = await startTestServer();
    const a1 = await join(server.signalUrl, 'one', 'a');
    const b1 = await join(server.signalUrl, 'one', 'b');
    const a2 = await join(server.signalUrl, 'two', 'a');
    const b2 = await join(server.signalUrl, 'two', 'b');
    a1.send({ type: 'signal', data: 'for one' });
    a2.send({ type: 'signal', data: 'for two' });
    expect((await b1.next('signal')).data).toBe('for one');
    expect((await b2.next('signal')).data).toBe('for two');
  });
});
