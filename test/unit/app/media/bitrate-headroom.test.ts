import { describe, expect, it } from 'vitest';
import {
  HEADROOM_BELOW_KBPS,
  MIN_VIDEO_KBPS,
  START_BITRATE_KBPS,
  capChanged,
  sendingCapKbps,
  startBitrateKbps,
} from '../../../../app/media/bitrate-headroom.js';

describe('the video cap that leaves a thin link room', () => {
  it('keeps video a fifth under the estimate on a thin link, and leaves a wide one alone', () => {
    expect(sendingCapKbps(1_000, null)).toBe(800);
    expect(sendingCapKbps(300, null)).toBe(240);
    expect(sendingCapKbps(HEADROOM_BELOW_KBPS, null)).toBeNull();
    expect(sendingCapKbps(null, null)).toBeNull();
  });

  it("never goes over the admin's cap, nor under a picture's worth", () => {
    expect(sendingCapKbps(1_000, 500)).toBe(500);
    expect(sendingCapKbps(10_000, 2_500)).toBe(2_500);
    expect(sendingCapKbps(null, 2_500)).toBe(2_500);
    expect(sendingCapKbps(50, null)).toBe(MIN_VIDEO_KBPS);
  });

  it('changes the cap in place only for a real difference', () => {
    expect(capChanged(800, 850)).toBe(false);
    expect(capChanged(800, 950)).toBe(true);
    expect(capChanged(800, null)).toBe(true);
    expect(capChanged(null, null)).toBe(false);
  });
});

describe('where the next session starts', () => {
  it('starts a first session high, and a later one from what the last received', () => {
    expect(startBitrateKbps(null)).toBe(START_BITRATE_KBPS.max);
    expect(startBitrateKbps(2_500)).toBe(START_BITRATE_KBPS.max);
    expect(startBitrateKbps(270)).toBe(243);
    expect(startBitrateKbps(20)).toBe(START_BITRATE_KBPS.min);
    expect(startBitrateKbps(Number.NaN)).toBe(START_BITRATE_KBPS.max);
  });
});
