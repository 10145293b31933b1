import { describe, expect, it } from 'vitest';
import { backoffDelay, nextRandom, SESSION_BACKOFF } from '../../../../app/link/reconnect-backoff.js';

describe('backoffDelay', () => {
  const policy = { firstMs: 100, factor: 2, capMs: 1_000, jitter: 0.25 };

  it('doubles from the first delay up to the cap, without jitter at the midpoint', () => {
    expect([1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(policy, attempt, 0.5))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
  });

  it('spreads each delay by the jitter either way', () => {
    expect(backoffDelay(policy, 1, 0)).toBe(75);
    expect(backoffDelay(policy, 1, 0.999999)).toBe(125);
    expect(backoffDelay(policy, 9, 0.999999)).toBe(1_250);
  });

  it('keeps session retries within a few seconds', () => {
    expect(backoffDelay(SESSION_BACKOFF, 50, 0.999999)).toBeLessThanOrEqual(4_000);
  });
});

describe('nextRandom', () => {
  it('is repeatable for a seed and spread over [0, 1)', () => {
    const values: number[] = [];
    let seed = 7;
    for (let i = 0; i < 1_000; i++) {
      const next = nextRandom(seed);
      values.push(next.value);
      seed = next.seed;
    }
    expect(nextRandom(7)).toEqual(nextRandom(7));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(values.filter((v) => v < 0.5).length).toBeGreaterThan(400);
    expect(values.filter((v) => v < 0.5).length).toBeLessThan(600);
  });
});
