import { describe, expect, it } from 'vitest';
import { withStartBitrate } from '../../../../app/media/sdp-bitrate.js';

// A trimmed Chromium offer: audio, then video with VP8 (no fmtp), VP9, H264, and their rtx/red.
const OFFER = [
  'v=0',
  'o=- 1 2 IN IP4 127.0.0.1',
  's=-',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'a=rtpmap:111 opus/48000/2',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'm=video 9 UDP/TLS/RTP/SAVPF 96 97 98 99 100 101',
  'a=rtpmap:96 VP8/90000',
  'a=rtcp-fb:96 nack',
  'a=rtpmap:97 rtx/90000',
  'a=fmtp:97 apt=96',
  'a=rtpmap:98 VP9/90000',
  'a=fmtp:98 profile-id=0',
  'a=rtpmap:99 rtx/90000',
  'a=fmtp:99 apt=98',
  'a=rtpmap:100 H264/90000',
  'a=fmtp:100 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
  'a=rtpmap:101 red/90000',
  'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
  '',
].join('\r\n');

describe('withStartBitrate', () => {
  const hinted = withStartBitrate(OFFER, 1000).split('\r\n');

  it('gives every picture codec of the video section the hint, adding an fmtp where there is none', () => {
    expect(hinted).toContain('a=fmtp:96 x-google-start-bitrate=1000');
    expect(hinted.indexOf('a=fmtp:96 x-google-start-bitrate=1000')).toBe(hinted.indexOf('a=rtpmap:96 VP8/90000') + 1);
    expect(hinted).toContain('a=fmtp:98 profile-id=0;x-google-start-bitrate=1000');
    expect(hinted).toContain(
      'a=fmtp:100 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f;x-google-start-bitrate=1000',
    );
  });

  it('leaves audio, retransmission, red and the data channel alone', () => {
    expect(hinted).toContain('a=fmtp:111 minptime=10;useinbandfec=1');
    expect(hinted).toContain('a=fmtp:97 apt=96');
    expect(hinted).toContain('a=fmtp:99 apt=98');
    expect(hinted.filter((line) => line.includes('x-google-start-bitrate'))).toHaveLength(3);
  });

  it('replaces a hint already there instead of adding a second, and keeps the line endings', () => {
    const twice = withStartBitrate(withStartBitrate(OFFER, 1000), 600);
    expect(twice.split('\r\n')).toContain('a=fmtp:98 profile-id=0;x-google-start-bitrate=600');
    expect(twice.match(/x-google-start-bitrate/g)).toHaveLength(3);
    expect(twice.endsWith('\r\n')).toBe(true);
    expect(withStartBitrate(OFFER.replaceAll('\r\n', '\n'), 1000)).not.toContain('\r');
  });

  it('adds a floor for the estimate beside the start, never above it', () => {
    const lines = withStartBitrate(OFFER, 1000, 150).split('\r\n');
    expect(lines).toContain('a=fmtp:96 x-google-start-bitrate=1000;x-google-min-bitrate=150');
    expect(lines).toContain('a=fmtp:98 profile-id=0;x-google-start-bitrate=1000;x-google-min-bitrate=150');
    expect(withStartBitrate(OFFER, 100, 150)).toContain('x-google-start-bitrate=100;x-google-min-bitrate=100');
    // Applied twice, each hint appears once.
    const twice = withStartBitrate(withStartBitrate(OFFER, 1000, 150), 600, 150);
    expect(twice.match(/x-google-min-bitrate/g)).toHaveLength(3);
  });
});
