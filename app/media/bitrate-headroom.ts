// How much video a session sends, besides the admin's cap: on a link thinner than the encoder
// wants, a little under the bandwidth estimate, and where the next session starts.
//
// Measured in the network lab behind a 1 Mbit/s cap: Chrome's estimate sits near the link's rate
// and the encoder fills it, so the bottleneck's queue stays full and the receiver's jitter buffer
// holds ~300 ms (glass-to-glass 200-330 ms, against 40-60 uncapped). Sending at 80 % of the
// estimate leaves the queue empty; the estimate can still climb (Chrome lets it reach 1.5x what
// is acknowledged), so the cap follows a link that widens.

/** Above this estimate the encoder, not the link, is what limits a 720p or 1080p call. */
export const HEADROOM_BELOW_KBPS = 4_000;
/** The share of the estimate video may use on a thin link (audio and headers take the rest). */
export const HEADROOM_SHARE = 0.8;
/** Never below this: a picture at all, even a small one. */
export const MIN_VIDEO_KBPS = 100;
/** A new cap is applied when it differs from the one in place by more than this share. */
export const CAP_CHANGE_SHARE = 0.1;

/** The video cap for an estimate (kbit/s, null: none yet) and the admin's own (null: none). */
export function sendingCapKbps(estimateKbps: number | null, adminMaxKbps: number | null): number | null {
  if (estimateKbps === null || estimateKbps >= HEADROOM_BELOW_KBPS) return adminMaxKbps;
  const headroom = Math.max(MIN_VIDEO_KBPS, Math.round(estimateKbps * HEADROOM_SHARE));
  return adminMaxKbps === null ? headroom : Math.min(adminMaxKbps, headroom);
}

/** Whether `next` is worth a setParameters over `current`. */
export function capChanged(current: number | null, next: number | null): boolean {
  if (current === null || next === null) return current !== next;
  return Math.abs(next - current) > current * CAP_CHANGE_SHARE;
}

/** Where the partner's estimate should start next time: what this page last received, or less. */
export const START_BITRATE_KBPS = { max: 1_000, min: 150 } as const;

/**
 * The start hint for the next session from what the last one received (kbit/s, null: nothing
 * known): a good link gets the full hint (1280x720 from the first second), a thin one a hint it
 * can carry, so its first keyframes do not queue for seconds behind the bottleneck.
 */
export function startBitrateKbps(lastReceivedKbps: number | null): number {
  if (lastReceivedKbps === null || !Number.isFinite(lastReceivedKbps)) return START_BITRATE_KBPS.max;
  return Math.round(Math.min(START_BITRATE_KBPS.max, Math.max(START_BITRATE_KBPS.min, lastReceivedKbps * 0.9)));
}
