import { describe, expect, it } from 'vitest';
import { startTestServer, track } from '../../support/start-test-server.js';
import { TestSite } from '../../support/test-site.js';

const KEY = 'test-key';
const connect = async (url: string) => track(await TestSite.connect(url));
const join = async (url: string, room: string, site: string) => track(await TestSite.join(url, room, site, KEY));

describe('bad input', () => {
  it.each([
    ['a binary frame', Buffer.from('{"type":"ping"}'), /Binary frames are refused/],
    ['text that is not JSON', '{"type":', /not valid JSON/],
    ['a JSON value that is not an object', '[1,2]', /must be a JSON object/],
    ['an object with no type', '{"id":1}', /string field "type"/],
    ['an unknown type', '{"type":"hello"}', /Unknown message type 'hello'/],
    ['a field of the wrong type', '{"type":"join","v":1,"room":"r","site":7}', /`site` must be a string/],
    ['a room name with a space', '{"type":"join","v":1,"room":"a b","site":"s"}', /`room` must be 1-64 characters/],
    ['another protocol version', '{"type":"join","v":2,"room":"r","site":"s"}', /`v` must be 1/],
  ])('answers %s with a non-fatal bad-message that says what is wrong', async (_name, frame, message) => {
    const server = await startTestServer();
    const site = await connect(server.signalUrl);
    site.sendRaw(frame);
    expect(await site.next('error')).toEqual({
      type: 'error',
      code: 'bad-message',
      message: expect.stringMatching(message),
    });
    // Still open and usable.
    site.send({ type: 'join', v: 1, room: 'r', site: 's', key: KEY });
    await site.next('joined');
  });

  it('never quotes a malformed key back', async () => {
    const server = await startTestServer();
    const site = await connect(server.signalUrl);
    site.send({ type: 'join', v: 1, room: 'r', site: 's', key: 'x'.repeat(300) });
    const error = await site.next('error');
    expect(error.message).toMatch(/`key` must be at most 256 characters/);
    expect(error.message).not.toMatch(/xxxx/);
  });

  it('closes with 4400 after ten bad messages in a row, but not after nine and a good one', async () => {
    const server = await startTestServer();
    const site = await connect(server.signalUrl);
    for (let i = 0; i < 9; i++) site.sendRaw('nope');
    site.send({ type: 'ping', id: 1 });
    await site.next('pong');
    for (let i = 0; i < 9; i++) site.sendRaw('nope');
    site.send({ type: 'ping', id: 2 });
    await site.next('pong');
    for (let i = 0; i < 10; i++) site.sendRaw('nope');
    expect(await site.closedWithin()).toMatchObject({ code: 4400 });
    expect(site.history.filter((m) => m.type === 'error')).toHaveLength(28);
  });

  it('closes a frame over 64 KiB with 1009 and tells the partner', async () => {
    const server = await startTestServer();
    const a = await join(server.signalUrl, 'r', 'a');
    const b = await join(server.signalUrl, 'r', 'b');
    b.send({ type: 'signal', data: 'x'.repeat(64 * 1024 - 100) }); // just under: relayed
    expect((await a.next('signal')).data).toHaveLength(64 * 1024 - 100);
    b.send({ type: 'signal', data: 'x'.repeat(64 * 1024) });
    expect((await b.closedWithin()).code).toBe(1009);
    expect(await a.next('peer-left')).toEqual({ type: 'peer-left', site: 'b', reason: 'lost' });
  });

  it('is not polluted by __proto__ or constructor keys, and relays them as plain data', async () => {
    const server = await startTestServer();
    const a = await join(server.signalUrl, 'r', 'a');
    const b = await join(server.signalUrl, 'r', 'b');
    const hostile =
      '{"type":"signal","__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},' +
      '"data":{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}}';
    a.sendRaw(hostile);
    const relayed = await b.next('signal');
    expect(Object.hasOwn(relayed.data as object, '__proto__')).toBe(true);
    a.sendRaw('{"type":"join","v":1,"room":"x","site":"y","__proto__":{"isAdmin":true}}');
    await a.next('error');
    const fresh: Record<string, unknown> = {};
    expect(fresh['polluted']).toBeUndefined();
    expect(fresh['isAdmin']).toBeUndefined();
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('survives a fuzz run of random frames, after which a fresh pair still relays', async () => {
    const server = await startTestServer();
    let seed = 20261123;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pieces = [
      '{',
      '}',
      '[',
      ']',
      '"type"',
      ':',
      ',',
      '"join"',
      '"signal"',
      '"ping"',
      '"leave"',
      '"v"',
      '1',
      '2',
      '"room"',
      '"site"',
      '"key"',
      '"data"',
      'null',
      'true',
      '"\\u0000"',
      '"é"',
      '-1e999',
      '"__proto__"',
      ' ',
      '\\',
    ];
    const frame = () => {
      if (random() < 0.1)
        return Buffer.from(Array.from({ length: Math.floor(random() * 200) }, () => Math.floor(random() * 256)));
      return Array.from(
        { length: 1 + Math.floor(random() * 30) },
        () => pieces[Math.floor(random() * pieces.length)],
      ).join('');
    };
    for (let connection = 0; connection < 20; connection++) {
      const site = await connect(server.signalUrl);
      for (let i = 0; i < 60; i++) if (site.socket.readyState === site.socket.OPEN) site.sendRaw(frame());
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    const a = await join(server.signalUrl, 'after-fuzz', 'a');
    const b = await join(server.signalUrl, 'after-fuzz', 'b');
    a.send({ type: 'signal', data: 'still relaying' });
    expect((await b.next('signal')).data).toBe('still relaying');
  });
});
