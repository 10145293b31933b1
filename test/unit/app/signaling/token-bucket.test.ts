import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../../../app/signaling/token-bucket.js';

const takeAll = (bucket: TokenBucket, now: number, count: number) =>
  Array.from({ length: count }, () => bucket.take(now)).filter(Boolean).length;

describe('TokenBucket', () => {
  it('allows a burst, then refuses', () => {
    const bucket = new TokenBucket(200, 50, 0);
    expect(takeAll(bucket, 0, 250)).toBe(200);
  });

  it('refills at the sustained rate, never past the burst', () => {
    const bucket = new TokenBucket(200, 50, 0);
    takeAll(bucket, 0, 200);
    expect(bucket.take(10)).toBe(false); // 10 ms is half a token
    expect(takeAll(bucket, 1_010, 100)).toBe(50);
    expect(takeAll(bucket, 1_000_000, 500)).toBe(200);
  });

  it('lets a steady 50 a second through forever', () => {
    const bucket = new TokenBucket(200, 50, 0);
    takeAll(bucket, 0, 200);
    let allowed = 0;
    for (let ms = 20; ms <= 60_000; ms += 20) if (bucket.take(ms)) allowed++;
    expect(allowed).toBe(3_000);
  });

  it('does not mint tokens when the clock goes backwards', () => {
    const bucket = new TokenBucket(2, 1, 1_000);
    takeAll(bucket, 1_000, 2);
    expect(bucket.take(0)).toBe(false);
  });
});
