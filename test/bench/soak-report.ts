// What the soak prints: one line per site every minute, and at the end the whole run per site
// and the issue's goals, read against the run's baseline.

import { cpus, loadavg } from 'node:os';
import { baselineMs, growthPerHour, mb, ms, percentile, signed, type Growth, type Point } from './soak-figures.js';
import type { Health, Memory } from './soak-site.js';

/** Everything one site showed, second by second (and memory every 10 s), from when both were live. */
export interface SiteRecord {
  readonly name: string;
  readonly seconds: Array<{
    readonly t: number;
    /** null: the page could not be read this second (being reloaded, its browser restarting) */
    readonly state: string | null;
    readonly frames: number;
    readonly samples: readonly number[];
    readonly longestGapMs: number;
  }>;
  /** Each gap over 1 s between frames shown, when it ended. */
  readonly gaps: Array<{ readonly t: number; readonly ms: number }>;
  readonly memory: Array<{ readonly t: number } & Memory>;
  health: Health | null;
  /** Browsers the soak gave the scene camera: 1, and one per browser the kiosk restarted. */
  attachments: number;
}

export const MINUTE_HEADER =
  'min site    state               fps freezes longest g2g p50/p95 ms  browser MB rss/pss/heap cpu%  host MB rss/heap cpu%  repairs';

const heapMb = (bytes: number | null | undefined) => (bytes == null ? 'n/a' : (bytes / 1048576).toFixed(1));

export function minuteLine(minute: number, record: SiteRecord, fromT: number, toT: number): string {
  const seconds = record.seconds.filter((s) => s.t >= fromT && s.t < toT);
  const samples = seconds.flatMap((s) => s.samples);
  const frames = seconds.reduce((sum, s) => sum + s.frames, 0);
  const freezes = record.gaps.filter((g) => g.t >= fromT && g.t < toT).length;
  const live = seconds.filter((s) => s.state === 'live').length;
  const now = seconds.at(-1)?.state ?? 'unread';
  const state = live === seconds.length ? now : `${now} (live ${Math.round((100 * live) / (seconds.length || 1))}%)`;
  const memory = record.memory.filter((m) => m.t >= fromT && m.t < toT);
  const end = memory.at(-1);
  const cpu = (pick: (m: Memory) => number | null) => {
    const values = memory.map(pick).filter((v): v is number => v !== null);
    return values.length === 0 ? 'n/a' : `${Math.round(values.reduce((a, b) => a + b, 0) / values.length)}`;
  };
  const elapsed = (Math.min(toT, (seconds.at(-1)?.t ?? toT) + 1) - fromT) / 1000;
  return [
    String(minute).padStart(3),
    record.name.padEnd(7),
    state.padEnd(17),
    (frames / Math.max(1, elapsed)).toFixed(1).padStart(5),
    String(freezes).padStart(7),
    `${Math.max(0, ...seconds.map((s) => s.longestGapMs))}`.padStart(7),
    `${ms(percentile(samples, 0.5))}/${ms(percentile(samples, 0.95))}`.padStart(14),
    `${mb(end?.browserRss ?? null)}/${mb(end?.browserPss ?? null)}/${heapMb(end?.browserHeap)} ${cpu((m) => m.browserCpu)}`.padStart(
      29,
    ),
    `${mb(end?.hostRss ?? null)}/${heapMb(end?.hostHeap)} ${cpu((m) => m.hostCpu)}`.padStart(22),
    ` ${record.health?.repairs ?? 'n/a'}`,
  ].join(' ');
}

interface SiteFigures {
  readonly lines: string[];
  readonly freezes: number;
  readonly browserGrowth: Growth | null;
  readonly hostGrowth: Growth | null;
  readonly p95Change: number;
}

function siteFigures(record: SiteRecord, ranMs: number, baseline: number): SiteFigures {
  const seconds = record.seconds;
  const live = seconds.filter((s) => s.state === 'live').length;
  const unread = seconds.filter((s) => s.state === null).length;
  const frames = seconds.reduce((sum, s) => sum + s.frames, 0);
  const samplesIn = (from: number, to: number) =>
    seconds.filter((s) => s.t >= from && s.t < to).flatMap((s) => s.samples);
  const all = samplesIn(0, Infinity);
  const baseP95 = percentile(samplesIn(0, baseline), 0.95);
  const lastP95 = percentile(samplesIn(ranMs - baseline, Infinity), 0.95);
  const p95Change = ((lastP95 - baseP95) / baseP95) * 100;
  const after = record.memory.filter((m) => m.t >= baseline);
  const growth = (pick: (m: Memory) => number | null) =>
    growthPerHour(after.map((m) => ({ t: m.t, v: pick(m) })).filter((p): p is Point => p.v !== null && p.v > 0));
  const show = (name: string, g: Growth | null, toText: (bytes: number) => string) =>
    g === null ? `${name} n/a` : `${name} ${signed(g.percentPerHour)} (${toText(g.from)} -> ${toText(g.to)} MB)`;
  const browserGrowth = growth((m) => m.browserRss);
  const hostGrowth = growth((m) => m.hostRss);
  const longest = Math.max(0, ...seconds.map((s) => s.longestGapMs));
  const freezes = record.gaps.map((g) => `${g.ms} ms at ${(g.t / 60_000).toFixed(1)} min`);
  const lines = [
    `${record.name}: live ${((100 * live) / (seconds.length || 1)).toFixed(1)} % of ${seconds.length} s` +
      (unread > 0 ? ` (${unread} s the page could not be read)` : '') +
      `, ${(frames / Math.max(1, seconds.length)).toFixed(1)} fps, freezes over 1 s: ${freezes.length}` +
      (freezes.length > 0 ? ` (${freezes.slice(0, 10).join(', ')}${freezes.length > 10 ? ', ...' : ''})` : '') +
      `, longest gap ${longest} ms, g2g p50/p95 ${ms(percentile(all, 0.5))}/${ms(percentile(all, 0.95))} ms` +
      `, repairs: ${record.health?.repairs ?? 'n/a'}, browsers given the camera: ${record.attachments}`,
    `  memory growth after the baseline, %/h: ${show('browser RSS', browserGrowth, mb)}, ` +
      `${show(
        'PSS',
        growth((m) => m.browserPss),
        mb,
      )}, ${show(
        'page heap',
        growth((m) => m.browserHeap),
        heapMb,
      )}, ` +
      `${show('host RSS', hostGrowth, mb)}, ${show(
        'host heap',
        growth((m) => m.hostHeap),
        heapMb,
      )}`,
    `  g2g p95: first ${(baseline / 60_000).toFixed(1)} min ${ms(baseP95)} ms, ` +
      `last ${(baseline / 60_000).toFixed(1)} min ${ms(lastP95)} ms (${signed(p95Change)} %)`,
  ];
  return { lines, freezes: record.gaps.length, browserGrowth, hostGrowth, p95Change };
}

export interface RunFacts {
  readonly minutesAsked: number;
  readonly ranMs: number;
  readonly toLiveMs: number;
  readonly size: string;
}

export function summaryLines(records: readonly SiteRecord[], run: RunFacts): string[] {
  const baseline = baselineMs(run.ranMs);
  const min = (value: number) => `${(value / 60_000).toFixed(1)} min`;
  const baseText =
    baseline === 10 * 60_000 ? 'the first 10 min' : `the first ${min(baseline)} (a fifth: the run is under 50 min)`;
  const lines = [
    '',
    `soak: ${min(run.ranMs)} of ${run.minutesAsked} asked, ${run.size} both ways, both sites live ` +
      `${(run.toLiveMs / 1000).toFixed(1)} s after the kiosks were started; baseline ${baseText}, the last part as long`,
    `machine: ${cpus().length} cores shared with other work, load now ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}: the figures are noisy, and memory growth over a short run is a steep extrapolation`,
  ];
  const figures = records.map((record) => siteFigures(record, run.ranMs, baseline));
  for (const f of figures) lines.push(...f.lines);
  const verdict = (ok: boolean | null) => (ok === null ? 'not measured' : ok ? 'met' : 'MISSED');
  const growthVerdict = (g: Growth | null) =>
    `${verdict(g === null ? null : g.percentPerHour < 5)} (${g === null ? 'n/a' : signed(g.percentPerHour)})`;
  const each = (text: (f: SiteFigures) => string) =>
    records.map((record, i) => `${record.name} ${text(figures[i]!)}`).join('; ');
  lines.push(
    `goals (set for 60 min${run.minutesAsked === 60 ? '' : `; this ran ${run.minutesAsked}`}; figures, not a test):`,
    `  no freeze over 1 s:                ${each((f) => `${verdict(f.freezes === 0)} (${f.freezes})`)}`,
    `  memory growth under 5 %/h:         ${each((f) => `browser ${growthVerdict(f.browserGrowth)}, host ${growthVerdict(f.hostGrowth)}`)}`,
    `  p95 within 20 % of the baseline's: ${each((f) => `${verdict(Number.isFinite(f.p95Change) ? f.p95Change <= 20 : null)} (${signed(f.p95Change)} %)`)}`,
  );
  return lines;
}
