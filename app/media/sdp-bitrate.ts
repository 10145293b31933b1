// A start-bitrate hint in our own SDP. Chrome's bandwidth estimate starts near 300 kbit/s and
// climbs over 10-25 s, so a real scene starts out at 320x180-640x360 "limited by bandwidth" even
// on a LAN. `x-google-start-bitrate` (kbit/s, in a video codec's fmtp) is read by the *other* end
// from the description we send it and starts its estimate there. The estimate falls when the
// link is thinner (loss and delay feedback), but the first 720p keyframe still has to cross it:
// measured behind a 1 Mbit/s tbf cap, live after 3.5 s; behind 300 kbit/s, after about 9 s (the
// unhinted bare page: 1.2-1.5 s). That is what this hint trades for sharpness on a good link.
// Chrome's own name for it: https://webrtc.googlesource.com/src/+/refs/heads/main/media/base/media_constants.cc

/** The video codecs that carry pictures (not rtx, red, ulpfec or flexfec). */
const PICTURE_CODECS = new Set(['vp8', 'vp9', 'h264', 'h265', 'av1']);

/**
 * The floor of the partner's estimate (`x-google-min-bitrate`, kbit/s). At 20 % random loss
 * Chrome's loss-based estimate keeps falling (it takes loss for congestion) until the encoder
 * drops to a few frames a second; with this floor it held 230-250 kbit/s and 15-28 fps in the
 * network lab. Low enough that a 300 kbit/s link still has room above it.
 */
export const MIN_BITRATE_KBPS = 150;

/**
 * `sdp` with `x-google-start-bitrate=KBPS` (and `x-google-min-bitrate`, when given) on every
 * picture codec of its video sections.
 */
export function withStartBitrate(sdp: string, kbps: number, minKbps: number | null = null): string {
  const hints: Array<readonly [string, number]> = [['x-google-start-bitrate', kbps]];
  if (minKbps !== null) hints.push(['x-google-min-bitrate', Math.min(minKbps, kbps)]);
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const lines = sdp.split(eol);
  const out: string[] = [];
  let section: string[] = [];
  const flush = (): void => {
    out.push(...(section[0]?.startsWith('m=video') ? hintSection(section, hints) : section));
    section = [];
  };
  for (const line of lines) {
    if (line.startsWith('m=')) flush();
    section.push(line);
  }
  flush();
  return out.join(eol);
}

function hintSection(section: readonly string[], hints: ReadonlyArray<readonly [string, number]>): string[] {
  const names = hints.map(([name]) => `${name}=`);
  const added = hints.map(([name, value]) => `${name}=${value}`);
  const picture = new Set<string>();
  for (const line of section) {
    const rtpmap = /^a=rtpmap:(\d+) ([^/]+)\//.exec(line);
    if (rtpmap && PICTURE_CODECS.has(rtpmap[2]!.toLowerCase())) picture.add(rtpmap[1]!);
  }
  const withFmtp = new Set<string>();
  const lines = section.map((line) => {
    const fmtp = /^a=fmtp:(\d+) (.*)$/.exec(line);
    if (fmtp === null || !picture.has(fmtp[1]!)) return line;
    withFmtp.add(fmtp[1]!);
    const params = fmtp[2]!.split(';').filter((p) => !names.some((name) => p.trim().startsWith(name)));
    return `a=fmtp:${fmtp[1]} ${[...params, ...added].join(';')}`;
  });
  // A codec without an fmtp line (VP8 usually) gets one right after its rtpmap.
  return lines.flatMap((line) => {
    const rtpmap = /^a=rtpmap:(\d+) /.exec(line);
    const pt = rtpmap?.[1];
    return pt !== undefined && picture.has(pt) && !withFmtp.has(pt)
      ? [line, `a=fmtp:${pt} ${added.join(';')}`]
      : [line];
  });
}
