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

/** Where a keeper of the PIN keeps its lock: a host in memory, a web page in its storage. */
export interface LockStore {
  read(): PinLock;
  write(lock: PinLock): void;
}

/**
 * The one way a PIN is tried, in both keepers (a kiosk host and a web page). Tries are taken one
 * at a time, and each is counted as wrong before the slow hash runs: forty tries sent at once
 * cannot all slip past the lock while the hashes are still running, and a right PIN clears the
 * count once it is known to be right.
 */
export class PinGate {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly hasher: PinHasher,
    private readonly lock: LockStore,
    private readonly now: () => number,
  ) {}

  try(pin: string, record: PinRecord): Promise<PinTry> {
    const attempt = this.queue.then(() => this.tryNow(pin, record));
    this.queue = attempt.catch(() => undefined);
    return attempt;
  }

  private async tryNow(pin: string, record: PinRecord): Promise<PinTry> {
    const before = this.lock.read();
    const lockedMs = lockRemaining(before, this.now());
    if (lockedMs > 0) return { ok: false, lockedMs, triesLeft: 0 };
    const counted = afterPinTry(before, false, this.now());
    this.lock.write(counted);
    if (await pinMatches(pin, record, this.hasher)) {
      this.lock.write(UNLOCKED);
      return { ok: true };
    }
    const left = lockRemaining(counted, this.now());
    return { ok: false, lockedMs: left, triesLeft: left > 0 ? 0 : MAX_PIN_FAILURES - counted.failures };
  }
}

/** What the overlay says while locked: "Locked for 4 min 12 s after 5 wrong PINs." */
export function lockMessage(remainingMs: number): string {
  const seconds = Math.ceil(remainingMs / 1000);
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  const left = minutes > 0 ? `${minutes} min${rest > 0 ? ` ${rest} s` : ''}` : `${rest} s`;
  return `Locked after ${MAX_PIN_FAILURES} wrong PINs. Try again in ${left}.`;
}
