// The soak's arithmetic, apart from any process or browser: percentiles, the baseline a run is
// read against, and memory growth as a straight line fitted through the samples after it.

export const percentile = (values: readonly number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};

/**
 * How long the first part of a run is, the part later figures are compared with: the first 10
 * minutes (memory settles, the bandwidth estimate has ramped), as the goals say for an hour, but
 * never more than a fifth of the run, so a shorter run still has most of itself after its
 * baseline (a 10-minute run: its first 2 minutes).
 */
export function baselineMs(runMs: number): number {
  return Math.min(10 * 60_000, runMs / 5);
}

export interface Point {
  /** ms since the soak started measuring */
  readonly t: number;
  readonly v: number;
}

export interface Growth {
  /** The least-squares line's slope over an hour, as a share of its value at the first point. */
  readonly percentPerHour: number;
  /** The line's value at the first and the last point. */
  readonly from: number;
  readonly to: number;
}

/**
 * A line fitted through every point rather than last minus first: one sample taken during a
 * garbage collection or a burst of frames would otherwise decide the figure.
 */
export function growthPerHour(points: readonly Point[]): Growth | null {
  if (points.length < 2) return null;
  const n = points.length;
  const meanT = points.reduce((sum, p) => sum + p.t, 0) / n;
  const meanV = points.reduce((sum, p) => sum + p.v, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const p of points) {
    covariance += (p.t - meanT) * (p.v - meanV);
    variance += (p.t - meanT) ** 2;
  }
  if (variance === 0) return null;
  const slope = covariance / variance;
  const at = (t: number) => meanV + slope * (t - meanT);
  const from = at(points[0]!.t);
  const to = at(points[n - 1]!.t);
  if (from <= 0) return null;
  return { percentPerHour: ((slope * 3_600_000) / from) * 100, from, to };
}

export const mb = (bytes: number | null): string => (bytes === null ? 'n/a' : (bytes / 1024 / 1024).toFixed(0));
export const ms = (value: number): string => (Number.isFinite(value) ? value.toFixed(0) : 'n/a');
export const signed = (value: number, digits = 1): string =>
  Number.isFinite(value) ? `${value >= 0 ? '+' : ''}${value.toFixed(digits)}` : 'n/a';
