import { describe, expect, it } from 'vitest';
import { parseClientFrame, parseServerFrame } from '../../../../app/signaling/parse-frame.js';

describe('parseClientFrame', () => {
  it('accepts each message of the protocol', () => {
    expect(parseClientFrame('{"type":"join","v":1,"room":"lobby","site":"dublin.1_a-b","key":"k"}')).toEqual({
      ok: true,
      value: { type: 'join', v: 1, room: 'lobby', site: 'dublin.1_a-b', key: 'k' },
    });
    expect(parseClientFrame('{"type":"join","v":1,"room":"r","site":"s"}').ok).toBe(true);
    expect(parseClientFrame('{"type":"signal","data":null}')).toEqual({
      ok: true,
      value: { type: 'signal', data: null },
    });
    expect(parseClientFrame('{"type":"ping","id":3}')).toEqual({ ok: true, value: { type: 'ping', id: 3 } });
    expect(parseClientFrame('{"type":"leave"}')).toEqual({ ok: true, value: { type: 'leave' } });
    expect(parseClientFrame('{"type":"ice-servers"}')).toEqual({ ok: true, value: { type: 'ice-servers' } });
  });

  it('keeps signal data exactly as sent', () => {
    const data = { a: [1, { b: 'c' }], d: false, e: 1.5 };
    const parsed = parseClientFrame(JSON.stringify({ type: 'signal', data }));
    expect(parsed.ok && parsed.value.type === 'signal' && parsed.value.data).toEqual(data);
  });

  it.each([
    ['', /not valid JSON/],
    ['"join"', /must be a JSON object .* got 'join'/],
    ['null', /must be a JSON object .* got null/],
    ['{"type":["join"]}', /string field "type", got a list/],
    ['{"type":"constructor"}', /Unknown message type 'constructor'/],
    ['{"type":"join","v":1,"site":"s"}', /`room` is required/],
    ['{"type":"join","v":1,"room":"","site":"s"}', /`room` must be 1-64 characters of A-Z a-z 0-9 \. _ -, got ''/],
    [`{"type":"join","v":1,"room":"${'r'.repeat(65)}","site":"s"}`, /`room` must be 1-64 characters/],
    ['{"type":"join","v":1,"room":"r","site":"s/t"}', /`site` must be 1-64 characters.*got 's\/t'/],
    ['{"type":"join","v":"1","room":"r","site":"s"}', /`v` must be 1/],
    ['{"type":"join","v":1,"room":"r","site":"s","key":""}', /`key` must be at least 1 character long\.$/],
    ['{"type":"signal"}', /`data` is required/],
    ['{"type":"ping","id":"one"}', /`id` must be a number, got 'one'/],
  ])('refuses %s with a sentence', (text, message) => {
    const parsed = parseClientFrame(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });

  it('never quotes the key back, even when it is wrong', () => {
    const parsed = parseClientFrame(JSON.stringify({ type: 'join', v: 1, room: 'r', site: 's', key: 'k'.repeat(257) }));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).not.toMatch(/kkk/);
  });

  it('shortens long and unprintable values it quotes', () => {
    const parsed = parseClientFrame(
      JSON.stringify({ type: 'join', v: 1, room: `a\u0000${'b'.repeat(100)}`, site: 's' }),
    );
    expect(!parsed.ok && parsed.error).toMatch(/got 'a\?b{38}\.\.\.'/);
  });

  it('drops unknown fields, __proto__ among them', () => {
    const parsed = parseClientFrame('{"type":"leave","__proto__":{"x":1},"extra":true}');
    expect(parsed).toEqual({ ok: true, value: { type: 'leave' } });
    expect(parsed.ok && Object.getPrototypeOf(parsed.value)).toBe(Object.prototype);
  });
});

describe('parseServerFrame', () => {
  it('accepts what the server sends', () => {
    expect(
      parseServerFrame('{"type":"joined","room":"r","site":"s","peers":["p"],"iceServers":[{"urls":["stun:x"]}]}').ok,
    ).toBe(true);
    expect(parseServerFrame('{"type":"error","code":"room-full","message":"m"}').ok).toBe(true);
    expect(parseServerFrame('{"type":"signal","from":"a","data":{}}').ok).toBe(true);
  });

  it('accepts joined and ice-servers with the lifetime of their credentials, and without', () => {
    const turn = { urls: ['turn:t:3478', 'turns:t:5349'], username: '1700003600:s', credential: 'c2lnbmVk' };
    expect(
      parseServerFrame(
        JSON.stringify({ type: 'joined', room: 'r', site: 's', peers: [], iceServers: [turn], iceServersTtl: 3600 }),
      ),
    ).toEqual({
      ok: true,
      value: { type: 'joined', room: 'r', site: 's', peers: [], iceServers: [turn], iceServersTtl: 3600 },
    });
    expect(parseServerFrame(JSON.stringify({ type: 'ice-servers', iceServers: [turn], iceServersTtl: 60 }))).toEqual({
      ok: true,
      value: { type: 'ice-servers', iceServers: [turn], iceServersTtl: 60 },
    });
    expect(parseServerFrame('{"type":"ice-servers","iceServers":[]}')).toEqual({
      ok: true,
      value: { type: 'ice-servers', iceServers: [] },
    });
  });

  it.each([
    ['{"type":"ice-servers"}', /`iceServers` is required/],
    ['{"type":"ice-servers","iceServers":[],"iceServersTtl":0}', /`iceServersTtl` must be/],
    ['{"type":"ice-servers","iceServers":[],"iceServersTtl":1.5}', /`iceServersTtl` must be/],
    ['{"type":"joined","room":"r","site":"s","peers":[],"iceServersTtl":"long"}', /`iceServersTtl` must be a number/],
  ])('refuses %s with a sentence', (text, message) => {
    const parsed = parseServerFrame(text);
    expect(!parsed.ok && parsed.error).toMatch(message);
  });

  it('never quotes a credential back, however deep in iceServers', () => {
    const parsed = parseServerFrame(
      JSON.stringify({ type: 'ice-servers', iceServers: [{ urls: 'turn:t', username: 'u', credential: 42424242 }] }),
    );
    expect(!parsed.ok && parsed.error).toMatch(/`iceServers\.0\.credential` must be a string\.$/);
    expect(!parsed.ok && parsed.error).not.toMatch(/4242/);
  });

  it('refuses an unknown error code', () => {
    const parsed = parseServerFrame('{"type":"error","code":"teapot","message":"m"}');
    expect(!parsed.ok && parsed.error).toMatch(/`code` must be one of "bad-message"/);
  });
});
