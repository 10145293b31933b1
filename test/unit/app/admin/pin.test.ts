import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  afterPinTry,
  lockMessage,
  lockRemaining,
  makePinRecord,
  pinMatches,
  PinGate,
  pinProblem,
  PIN_LOCK_MS,
  UNLOCKED,
  type PinHasher,
  type PinLock,
} from '../../../../app/admin/pin.js';
import { PinRecordSchema } from '../../../../app/config/portal-config.js';

const hasher: PinHasher = {
  salt: () => randomBytes(16).toString('base64'),
  // Few iterations in tests: the record says how many, and the check uses the record's.
  derive: async (pin, salt, iterations) =>
    pbkdf2Sync(pin, Buffer.from(salt, 'base64'), Math.min(iterations, 1000), 32, 'sha256').toString('base64'),
};

describe('the admin PIN', () => {
  it('is kept as a salted hash that the right PIN matches and no other', async () => {
    const record = await makePinRecord('2468', hasher);
    expect(PinRecordSchema.parse(record)).toEqual(record);
    expect(JSON.stringify(record)).not.toContain('2468');
    expect(await pinMatches('2468', record, hasher)).toBe(true);
    expect(await pinMatches('2469', record, hasher)).toBe(false);
    expect(await pinMatches('', record, hasher)).toBe(false);
    const again = await makePinRecord('2468', hasher);
    expect(again.salt).not.toBe(record.salt);
    expect(again.hash).not.toBe(record.hash);
  });

  it('must be 4 to 12 digits', () => {
    expect(pinProblem('1234')).toBeNull();
    expect(pinProblem('123')).toMatch(/4 to 12 digits/);
    expect(pinProblem('12a4')).toMatch(/4 to 12 digits/);
  });

  it('locks for five minutes after five wrong tries in a row, and a right one clears the count', () => {
    let lock = UNLOCKED;
    for (let i = 0; i < 4; i++) lock = afterPinTry(lock, false, 1000);
    expect(lockRemaining(lock, 1000)).toBe(0);
    lock = afterPinTry(lock, true, 1000);
    expect(lock).toEqual(UNLOCKED);
    for (let i = 0; i < 5; i++) lock = afterPinTry(lock, false, 1000);
    expect(lockRemaining(lock, 1000)).toBe(PIN_LOCK_MS);
    // No try counts while locked, not even a right one.
    expect(afterPinTry(lock, true, 2000)).toBe(lock);
    expect(lockMessage(lockRemaining(lock, 2000))).toBe('Locked after 5 wrong PINs. Try again in 4 min 59 s.');
    const later = 1000 + PIN_LOCK_MS;
    expect(lockRemaining(lock, later)).toBe(0);
    expect(afterPinTry(lock, false, later)).toEqual({ failures: 1, lockedUntil: null });
  });

  it('takes forty tries sent at once one by one, each counted before it is checked', async () => {
    const record = await makePinRecord('2468', hasher);
    let stored: PinLock = UNLOCKED;
    const writes: PinLock[] = [];
    const gate = new PinGate(hasher, { read: () => stored, write: (lock) => writes.push((stored = lock)) }, () => 1000);
    const tries = await Promise.all(Array.from({ length: 40 }, () => gate.try('1111', record)));
    expect(tries.slice(0, 4)).toEqual([4, 3, 2, 1].map((triesLeft) => ({ ok: false, lockedMs: 0, triesLeft })));
    expect(tries.slice(4).every((t) => !t.ok && t.lockedMs === PIN_LOCK_MS)).toBe(true);
    expect(await gate.try('2468', record)).toEqual({ ok: false, lockedMs: PIN_LOCK_MS, triesLeft: 0 });
    // Each try was written down as wrong before its hash was known.
    expect(writes.slice(0, 5).map((lock) => lock.failures)).toEqual([1, 2, 3, 4, 0]);
  });

  it('clears the count when the right PIN comes, even as the fifth try', async () => {
    const record = await makePinRecord('2468', hasher);
    let stored: PinLock = { failures: 4, lockedUntil: null };
    const gate = new PinGate(hasher, { read: () => stored, write: (lock) => (stored = lock) }, () => 1000);
    expect(await gate.try('2468', record)).toEqual({ ok: true });
    expect(stored).toEqual(UNLOCKED);
  });
});
