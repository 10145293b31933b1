import { describe, expect, it } from 'vitest';
import { createKeyCheck } from '../../../../main/signaling/key-policy.js';

describe('createKeyCheck', () => {
  it('lets anyone in when open', () => {
    const check = createKeyCheck({ open: true });
    expect(check('any', undefined)).toBe(true);
    expect(check('any', 'whatever')).toBe(true);
  });

  it('checks one key for every room', () => {
    const check = createKeyCheck({ key: 'secret' });
    expect(check('a', 'secret')).toBe(true);
    expect(check('b', 'secret')).toBe(true);
    expect(check('a', 'Secret')).toBe(false);
    expect(check('a', 'secret ')).toBe(false);
    expect(check('a', undefined)).toBe(false);
  });

  it('checks each listed room against its own key, and refuses unlisted rooms', () => {
    const check = createKeyCheck({ rooms: { one: 'k1', two: 'k2' } });
    expect(check('one', 'k1')).toBe(true);
    expect(check('two', 'k2')).toBe(true);
    expect(check('one', 'k2')).toBe(false);
    expect(check('three', 'k1')).toBe(false);
    expect(check('toString', undefined)).toBe(false);
  });

  it('refuses an empty shared key at start', () => {
    expect(() => createKeyCheck({ key: '' })).toThrow(/must not be empty/);
  });
});
