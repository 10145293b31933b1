import { describe, expect, it } from 'vitest';
import { isOffer, parseLinkEnvelope } from '../../../../app/link/link-envelope.js';

describe('parseLinkEnvelope', () => {
  it('accepts peer signals and syncs', () => {
    expect(parseLinkEnvelope({ s: 'a.1', d: { type: 'offer', sdp: 'x' } })).toEqual({
      s: 'a.1',
      d: { type: 'offer', sdp: 'x' },
    });
    expect(parseLinkEnvelope({ s: null, sync: true })).toEqual({ s: null, sync: true });
    expect(parseLinkEnvelope({ s: 'a.1', sync: true })).toEqual({ s: 'a.1', sync: true });
  });

  it('accepts a closed note, with or without the time it opens', () => {
    const closed = { opensAt: 1_796_112_000_000, timezone: 'Europe/Dublin' };
    expect(parseLinkEnvelope({ s: null, closed })).toEqual({ s: null, closed });
    expect(parseLinkEnvelope({ s: null, closed: { ...closed, opensAt: null } })).toEqual({
      s: null,
      closed: { ...closed, opensAt: null },
    });
  });

  it.each([
    [null],
    ['text'],
    [{}],
    [{ s: '', d: 1 }],
    [{ s: 'a.1' }],
    [{ s: null, d: 1 }],
    [{ s: 'a', sync: false }],
    [{ s: 'x'.repeat(65), d: 1 }],
    [{ s: 'a.1', closed: { opensAt: null, timezone: 'UTC' } }],
    [{ s: null, closed: { opensAt: -1, timezone: 'UTC' } }],
    [{ s: null, closed: { opensAt: 1.5, timezone: 'UTC' } }],
    [{ s: null, closed: { opensAt: null, timezone: 'x'.repeat(65) } }],
    [{ s: null, closed: { opensAt: null } }],
  ])('refuses %j', (value) => expect(parseLinkEnvelope(value)).toBeNull());
});

describe('isOffer', () => {
  it('knows an offer from the rest', () => {
    expect(isOffer({ type: 'offer', sdp: '' })).toBe(true);
    expect(isOffer({ type: 'answer', sdp: '' })).toBe(false);
    expect(isOffer({ candidate: {} })).toBe(false);
    expect(isOffer(null)).toBe(false);
  });
});
