// The stats view's figures, from two getStats() snapshots a second apart: what is sent and
// received (resolution, frame rate, bitrate, codec, encoder or decoder), the round trip, packet
// loss, the jitter buffer's delay, freezes, the selected candidate type and why quality is
// limited. Reports are plain objects here, so this runs and is tested without a browser.

export type StatsReport = Readonly<Record<string, unknown>> & { readonly id: string; readonly type: string };

export interface StatsSnapshot {
  /** Milliseconds (the reports' own timestamp). */
  readonly at: number;
  readonly reports: ReadonlyMap<string, StatsReport>;
}

export interface SentVideo {
  readonly width: number | null;
  readonly height: number | null;
  readonly fps: number | null;
  readonly kbps: number | null;
  readonly codec: string | null;
  readonly encoder: string | null;
  readonly qualityLimitation: string | null;
}

export interface ReceivedVideo {
  readonly width: number | null;
  readonly height: number | null;
  readonly fps: number | null;
  readonly kbps: number | null;
  readonly codec: string | null;
  readonly decoder: string | null;
  /** Lost packets over the last interval, in percent of those expected. */
  readonly lossPercent: number | null;
  /** Average time a frame waited in the jitter buffer over the last interval. */
  readonly jitterBufferMs: number | null;
  readonly freezes: number | null;
}

export interface LinkStatsSummary {
  readonly sent: SentVideo | null;
  readonly received: ReceivedVideo | null;
  readonly rttMs: number | null;
  /** The local candidate of the selected pair: host, srflx, prflx or relay. */
  readonly candidateType: string | null;
  /** For a local relay candidate: how it reaches the TURN server (udp, tcp or tls). */
  readonly relayProtocol: string | null;
  readonly remoteCandidateType: string | null;
}

export function snapshot(reports: Iterable<StatsReport>, at: number): StatsSnapshot {
  return { at, reports: new Map([...reports].map((report) => [report.id, report])) };
}

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

function find(snap: StatsSnapshot, test: (report: StatsReport) => boolean): StatsReport | null {
  for (const report of snap.reports.values()) if (test(report)) return report;
  return null;
}

const isVideo = (type: string) => (report: StatsReport) =>
  report.type === type && (report['kind'] === 'video' || report['mediaType'] === 'video');

/** kbit/s of a byte counter between two snapshots of the same report. */
function kbps(now: StatsSnapshot, before: StatsSnapshot | null, report: StatsReport, field: string): number | null {
  const previous = before?.reports.get(report.id);
  const bytes = num(report[field]);
  const earlier = previous === undefined ? null : num(previous[field]);
  const seconds = before === null ? 0 : (now.at - before.at) / 1000;
  if (bytes === null || earlier === null || seconds <= 0) return null;
  return Math.round(((bytes - earlier) * 8) / 1000 / seconds);
}

function delta(now: StatsReport, before: StatsReport | undefined, field: string): number | null {
  const a = num(now[field]);
  const b = before === undefined ? null : num(before[field]);
  return a === null ? null : a - (b ?? 0);
}

function codecOf(snap: StatsSnapshot, report: StatsReport): string | null {
  const codec = snap.reports.get(String(report['codecId']));
  const mime = codec === undefined ? null : str(codec['mimeType']);
  return mime === null ? null : mime.replace(/^video\//i, '');
}

export function summarize(now: StatsSnapshot, before: StatsSnapshot | null): LinkStatsSummary {
  const out = find(now, isVideo('outbound-rtp'));
  const inbound = find(now, isVideo('inbound-rtp'));
  const transport = find(now, (r) => r.type === 'transport');
  const pair =
    (transport !== null ? (now.reports.get(String(transport['selectedCandidatePairId'])) ?? null) : null) ??
    find(now, (r) => r.type === 'candidate-pair' && r['nominated'] === true && r['state'] === 'succeeded');
  const local = pair === null ? undefined : now.reports.get(String(pair['localCandidateId']));
  const remote = pair === null ? undefined : now.reports.get(String(pair['remoteCandidateId']));

  let received: ReceivedVideo | null = null;
  if (inbound !== null) {
    const previous = before?.reports.get(inbound.id);
    const lost = delta(inbound, previous, 'packetsLost');
    const got = delta(inbound, previous, 'packetsReceived');
    const waited = delta(inbound, previous, 'jitterBufferDelay');
    const emitted = delta(inbound, previous, 'jitterBufferEmittedCount');
    received = {
      width: num(inbound['frameWidth']),
      height: num(inbound['frameHeight']),
      fps: num(inbound['framesPerSecond']),
      kbps: kbps(now, before, inbound, 'bytesReceived'),
      codec: codecOf(now, inbound),
      decoder: str(inbound['decoderImplementation']),
      lossPercent:
        lost === null || got === null || lost + got <= 0
          ? null
          : Math.round((1000 * Math.max(0, lost)) / (lost + got)) / 10,
      jitterBufferMs:
        waited === null || emitted === null || emitted <= 0 ? null : Math.round((1000 * waited) / emitted),
      freezes: num(inbound['freezeCount']),
    };
  }
  return {
    sent:
      out === null
        ? null
        : {
            width: num(out['frameWidth']),
            height: num(out['frameHeight']),
            fps: num(out['framesPerSecond']),
            kbps: kbps(now, before, out, 'bytesSent'),
            codec: codecOf(now, out),
            encoder: str(out['encoderImplementation']),
            qualityLimitation: str(out['qualityLimitationReason']),
          },
    received,
    rttMs:
      pair === null ? null : ((v) => (v === null ? null : Math.round(v * 1000)))(num(pair['currentRoundTripTime'])),
    candidateType: local === undefined ? null : str(local['candidateType']),
    relayProtocol: local === undefined ? null : str(local['relayProtocol']),
    remoteCandidateType: remote === undefined ? null : str(remote['candidateType']),
  };
}

/**
 * The rows the stats view shows, label and value, with a dash for what is not known yet. `path`
 * says how sessions reach the partner (direct, or relay-only and why), from the link.
 */
export function statsRows(summary: LinkStatsSummary, path: string | null = null): Array<readonly [string, string]> {
  const dash = (value: number | string | null, unit = '') => (value === null ? '–' : `${value}${unit}`);
  const size = (v: { width: number | null; height: number | null } | null) =>
    v === null || v.width === null || v.height === null ? '–' : `${v.width}x${v.height}`;
  const { sent, received } = summary;
  return [
    ['Sending', `${size(sent)} at ${dash(sent?.fps ?? null, ' fps')}`],
    ['Receiving', `${size(received)} at ${dash(received?.fps ?? null, ' fps')}`],
    ['Bitrate out / in', `${dash(sent?.kbps ?? null)} / ${dash(received?.kbps ?? null)} kbit/s`],
    ['Round trip', dash(summary.rttMs, ' ms')],
    ['Packet loss', dash(received?.lossPercent ?? null, ' %')],
    ['Jitter buffer', dash(received?.jitterBufferMs ?? null, ' ms')],
    ['Freezes', dash(received?.freezes ?? null)],
    ['Codec out / in', `${dash(sent?.codec ?? null)} / ${dash(received?.codec ?? null)}`],
    [
      'Candidate',
      `${dash(summary.candidateType)}${summary.relayProtocol === null ? '' : ` over ${summary.relayProtocol}`} (partner ${dash(summary.remoteCandidateType)})`,
    ],
    ['Path', dash(path)],
    ['Encoder / decoder', `${dash(sent?.encoder ?? null)} / ${dash(received?.decoder ?? null)}`],
    ['Quality limited by', dash(sent?.qualityLimitation ?? null)],
  ];
}
