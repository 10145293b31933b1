// The admin PIN: kept only as a salted PBKDF2-SHA256 hash, checked in constant time, and locked
// for five minutes after five wrong tries. The hashing itself comes in from the caller (WebCrypto
// in the page, node:crypto in a host), so both produce and read the same record.

import type { PinRecord } from '../config/portal-config.js';

export const PIN_ITERATIONS = 600_000;
export const MAX_PIN_FAILURES = 5;
export const PIN_LOCK_MS = 5 * 60_000;

export interface PinHasher {
  /** A fresh random salt, base64. */
  salt(): string;
  /** PBKDF2-SHA256 of the PIN with the salt (base64) over `iterations`, 32 bytes, base64. */
  derive(pin: string, salt: string, iterations: number): Promise<string>;
}

/** A sentence for a PIN that cannot be used, or null. */
export function pinProblem(pin: string): string | null {
  return /^\d{4,12}$/.test(pin) ? null : 'The PIN must be 4 to 12 digits.';
}

export async function makePinRecord(pin: string, hasher: PinHasher): Promise<PinRecord> {
  const salt = hasher.salt();
  return {
    algorithm: 'PBKDF2-SHA256',
    iterations: PIN_ITERATIONS,
    salt,
    hash: await hasher.derive(pin, salt, PIN_ITERATIONS),
  };
}

export async function pinMatches(pin: string, record: PinRecord, hasher: PinHasher): Promise<boolean> {
  const derived = await hasher.derive(pin, record.salt, record.iterations);
  // Every character compared, whatever the first difference.
  let difference = derived.length ^ record.hash.length;
  for (let i = 0; i < derived.length; i++) difference |= derived.charCodeAt(i) ^ (record.hash.charCodeAt(i) || 0);
  return difference === 0;
}

/** Wrong tries so far and, after too many, until when the overlay stays locked. */
export interface PinLock {
  readonly failures: number;
  readonly lockedUntil: number | null;
}

export const UNLOCKED: PinLock = { failures: 0, lockedUntil: null };

/** Milliseconds left of a lock, or 0 when a PIN may be tried. */
export function lockRemaining(lock: PinLock, now: number): number {
  return lock.lockedUntil === null ? 0 : Math.max(0, lock.lockedUntil - now);
}

/** The lock after a try: a right PIN clears it, the fifth wrong one in a row locks it. No try
 * counts while locked (callers do not even check the PIN then). */
export function afterPinTry(lock: PinLock, right: boolean, now: number): PinLock {
  if (lockRemaining(lock, now) > 0) return lock;
  if (right) return UNLOCKED;
  const failures = (lock.lockedUntil === null ? lock.failures : 0) + 1;
  return failures >= MAX_PIN_FAILURES
    ? { failures: 0, lockedUntil: now + PIN_LOCK_MS }
    : { failures, lockedUntil: null };
}

/** The answer to one PIN try, as the overlay shows it. */
export type PinTry =
  { readonly ok: true } | { readonly ok: false; readonly lockedMs: number; readonly triesLeft: number };

/**
 * One PIN try against the record and the lock as they are: while locked the PIN is not even
 * checked. Answers with the lock to keep and what to tell the person.
 */
export async function tryPin(
  pin: string,
  record: PinRecord,
  lock: PinLock,
  hasher: PinHasher,
  now: () => number,
): Promise<{ readonly lock: PinLock; readonly result: PinTry }> {
  if (lockRemaining(lock, now()) > 0) {
    return { lock, result: { ok: false, lockedMs: lockRemaining(lock, now()), triesLeft: 0 } };
  }
  const right = await pinMatches(pin, record, hasher);
  const next = afterPinTry(lock, right, now());
  if (right) return { lock: next, result: { ok: true } };
  const lockedMs = lockRemaining(next, now());
  return {
    lock: next,
    result: { ok: false, lockedMs, triesLeft: lockedMs > 0 ? 0 : MAX_PIN_FAILURES - next.failures },
  };
}

/** What the overlay says while locked: "Locked for 4 min 12 s after 5 wrong PINs." */
export function lockMessage(remainingMs: number): string {
  const seconds = Math.ceil(remainingMs / 1000);
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  const left = minutes > 0 ? `${minutes} min${rest > 0 ? ` ${rest} s` : ''}` : `${rest} s`;
  return `Locked after ${MAX_PIN_FAILURES} wrong PINs. Try again in ${left}.`;
}
