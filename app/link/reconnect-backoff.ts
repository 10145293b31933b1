// Exponential backoff with jitter for reconnecting, capped at a few seconds: a kiosk should come
// back quickly, and two sites that failed together should not retry in lockstep.

export interface BackoffPolicy {
  readonly firstMs: number;
  readonly factor: number;
  readonly capMs: number;
  /** Each delay is scaled by a factor in [1 - jitter, 1 + jitter]. */
  readonly jitter: number;
}

export const SIGNALING_BACKOFF: BackoffPolicy = { firstMs: 250, factor: 2, capMs: 4_000, jitter: 0.25 };
export const SESSION_BACKOFF: BackoffPolicy = { firstMs: 100, factor: 2, capMs: 3_000, jitter: 0.25 };
/**
 * After a partner that is not the pinned site: quietly, now and then, so a pin put right is taken
 * up within a quarter of a minute without a tight loop of calls that can never be shown.
 */
export const UNTRUSTED_BACKOFF: BackoffPolicy = { firstMs: 1_000, factor: 2, capMs: 15_000, jitter: 0.25 };

/** The delay before retry number `attempt` (1 for the first retry); `random` is in [0, 1). */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: number): number {
  const base = Math.min(policy.capMs, policy.firstMs * policy.factor ** Math.max(0, attempt - 1));
  const scaled = base * (1 - policy.jitter + 2 * policy.jitter * random);
  return Math.round(Math.min(policy.capMs * (1 + policy.jitter), scaled));
}

/** A small, seedable PRNG (mulberry32), so a pure state machine can jitter deterministically. */
export function nextRandom(seed: number): { value: number; seed: number } {
  let t = (seed + 0x6d2b79f5) | 0;
  const next = t;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return { value: ((t ^ (t >>> 14)) >>> 0) / 4294967296, seed: next };
}
