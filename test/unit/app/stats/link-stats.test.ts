import { describe, expect, it } from 'vitest';
import { snapshot, statsRows, summarize, type StatsReport } from '../../../../app/stats/link-stats.js';

/** A second of a live call as Chromium reports it (trimmed to the fields that matter). */
function reports(t: number): StatsReport[] {
  return [
    { id: 'T', type: 'transport', selectedCandidatePairId: 'CP1' },
    {
      id: 'CP0',
      type: 'candidate-pair',
      nominated: false,
      state: 'failed',
      localCandidateId: 'L0',
      remoteCandidateId: 'R0',
    },
    {
      id: 'CP1',
      type: 'candidate-pair',
      nominated: true,
      state: 'succeeded',
      currentRoundTripTime: 0.012,
      localCandidateId: 'L1',
      remoteCandidateId: 'R1',
    },
    { id: 'L0', type: 'local-candidate', candidateType: 'host' },
    { id: 'L1', type: 'local-candidate', candidateType: 'relay', relayProtocol: 'tcp' },
    { id: 'R1', type: 'remote-candidate', candidateType: 'srflx' },
    { id: 'C1', type: 'codec', mimeType: 'video/VP8' },
    {
      id: 'OUT',
      type: 'outbound-rtp',
      kind: 'video',
      codecId: 'C1',
      frameWidth: 640,
      frameHeight: 480,
      framesPerSecond: 30,
      bytesSent: 1_000_000 + t * 125_000,
      encoderImplementation: 'libvpx',
      qualityLimitationReason: 'cpu',
    },
    {
      id: 'IN',
      type: 'inbound-rtp',
      kind: 'video',
      codecId: 'C1',
      frameWidth: 1280,
      frameHeight: 720,
      framesPerSecond: 29,
      bytesReceived: 2_000_000 + t * 250_000,
      packetsReceived: 1000 + t * 98,
      packetsLost: 10 + t * 2,
      jitterBufferDelay: 5 + t * 1.5,
      jitterBufferEmittedCount: 100 + t * 30,
      freezeCount: 1,
      decoderImplementation: 'libvpx',
    },
  ];
}

describe('the stats view figures', () => {
  it('derives rates over the last second and the selected candidate', () => {
    const before = snapshot(reports(0), 10_000);
    const now = snapshot(reports(1), 11_000);
    expect(summarize(now, before)).toEqual({
      sent: { width: 640, height: 480, fps: 30, kbps: 1000, codec: 'VP8', encoder: 'libvpx', qualityLimitation: 'cpu' },
      received: {
        width: 1280,
        height: 720,
        fps: 29,
        kbps: 2000,
        codec: 'VP8',
        decoder: 'libvpx',
        lossPercent: 2,
        jitterBufferMs: 50,
        freezes: 1,
      },
      rttMs: 12,
      candidateType: 'relay',
      relayProtocol: 'tcp',
      remoteCandidateType: 'srflx',
    });
    const rows = Object.fromEntries(statsRows(summarize(now, before), 'relay only: the direct path failed'));
    expect(rows['Candidate']).toBe('relay over tcp (partner srflx)');
    expect(rows['Path']).toBe('relay only: the direct path failed');
  });

  it('says what it does not know yet instead of inventing it', () => {
    const summary = summarize(snapshot(reports(0), 10_000), null);
    expect(summary.sent?.kbps).toBeNull();
    const rows = Object.fromEntries(statsRows(summarize(snapshot([], 0), null)));
    expect(rows['Sending']).toBe('– at –');
    expect(rows['Candidate']).toBe('– (partner –)');
    expect(rows['Path']).toBe('–');
  });

  it('reads a candidate pair without a transport report', () => {
    const without = reports(0).filter((r) => r.type !== 'transport');
    expect(summarize(snapshot(without, 0), null).candidateType).toBe('relay');
  });
});
