import { describe, expect, it } from 'vitest';
import { startTestServer, track } from '../../support/start-test-server.js';
import { TestSite } from '../../support/test-site.js';

async function refusal(url: string, join: Record<string, unknown>) {
  const site = track(await TestSite.connect(url));
  site.send({ type: 'join', v: 1, ...join });
  const error = await site.next('error');
  const closed = await site.closedWithin();
  return { code: error.code, message: error.message, close: closed.code };
}

describe('room keys', () => {
  it('makes a wrong key, a missing key and an unknown room look exactly alike', async () => {
    const server = await startTestServer({ keys: { rooms: { lobby: 'lobby-key' } } });
    const wrongKey = await refusal(server.signalUrl, { room: 'lobby', site: 'a', key: 'nope' });
    const missingKey = await refusal(server.signalUrl, { room: 'lobby', site: 'a' });
    const unknownRoom = await refusal(server.signalUrl, { room: 'secret-room', site: 'a', key: 'lobby-key' });
    expect(wrongKey).toEqual({ code: 'unauthorized', message: expect.any(String), close: 4401 });
    expect(missingKey).toEqual(wrongKey);
    expect(unknownRoom).toEqual(wrongKey);
    await TestSite.join(server.signalUrl, 'lobby', 'a', 'lobby-key').then(track);
  });

  it('refuses a wrong key with one key for every room', async () => {
    const server = await startTestServer({ keys: { key: 'right' } });
    expect(await refusal(server.signalUrl, { room: 'any', site: 'a', key: 'wrong' })).toMatchObject({
      code: 'unauthorized',
      close: 4401,
    });
    await TestSite.join(server.signalUrl, 'any', 'a', 'right').then(track);
  });

  it('lets any site in without a key when the server runs open', async () => {
    const server = await startTestServer({ keys: { open: true } });
    await TestSite.join(server.signalUrl, 'lobby', 'a').then(track);
    await TestSite.join(server.signalUrl, 'lobby', 'b', 'ignored').then(track);
  });

  it('never writes a key or a signal payload to the log', async () => {
    const server = await startTestServer({ keys: { key: 'hunter2-key' } });
    const a = track(await TestSite.join(server.signalUrl, 'lobby', 'a', 'hunter2-key'));
    const b = track(await TestSite.join(server.signalUrl, 'lobby', 'b', 'hunter2-key'));
    a.send({ type: 'signal', data: { sdp: 'SECRET-SDP-BODY' } });
    await b.next('signal');
    await refusal(server.signalUrl, { room: 'lobby', site: 'c', key: 'wrong-guess-key' });
    const log = server.logLines.join('\n');
    expect(log).toMatch(/"event":"join"/);
    expect(log).toMatch(/"code":"unauthorized"/);
    expect(log).not.toMatch(/hunter2-key|wrong-guess-key|SECRET-SDP-BODY/);
  });
});
