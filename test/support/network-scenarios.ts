// The network scenarios of the e2e tests and `npm run bench:network`, in one place so both
// measure the same thing: two portal sites in the lab (net-lab.ts, lab-portal.ts), a fault on
// the routers, and what the pages show: time to live, the candidate pair, glass-to-glass
// latency, frame rate, the longest freeze, the picture's width, and after a cut, when each
// page left `live` and came back, and whether it took a new session to do it.

import { portalState } from './chromium.js';
import type { NetLab, Site } from './net-lab.js';
import {
  openLabSite,
  pathInUse,
  mediaCounters,
  takeShown,
  statesOf,
  waitForLabState,
  type LabSite,
  type PathInUse,
} from './lab-portal.js';
import type { SceneSize } from './scene-camera.js';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const percentile = (values: readonly number[], q: number): number | null => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};

export interface LabPair {
  readonly a: LabSite;
  readonly b: LabSite;
  close(): Promise<void>;
}

let rooms = 0;

/** Site `a` (dublin, the offerer) and site `b` (oslo), loaded at once, in a fresh room. */
export async function openPair(
  lab: NetLab,
  base: string,
  options: { readonly params?: string; readonly size?: SceneSize } = {},
): Promise<LabPair> {
  const room = `lab-${process.pid}-${++rooms}`;
  const [a, b] = await Promise.all(
    (['a', 'b'] as const).map((site) =>
      openLabSite(lab, site, { base, room, name: site === 'a' ? 'dublin' : 'oslo', ...options }),
    ),
  );
  return { a: a!, b: b!, close: async () => void (await Promise.all([a!.close(), b!.close()])) };
}

export interface Picture {
  /** Frames shown per second on the receiving page, over the window. */
  readonly fps: number;
  /** The longest time between two frames shown, in ms. */
  readonly longestGapMs: number;
  readonly g2gP50: number | null;
  readonly g2gP95: number | null;
  /** Width of the picture as shown. */
  readonly width: number;
  /** To explain the figures: the receiver's jitter buffer per frame (ms), what its own side sent. */
  readonly jitterBufferMs: number | null;
  readonly sentKbps: number | null;
  readonly limitedBy: string | null;
}

/** What `site` shows of its partner's picture over the next `seconds`. */
export async function watch(site: LabSite, seconds: number): Promise<Picture> {
  await takeShown(site);
  const before = await mediaCounters(site).catch(() => null);
  await sleep(seconds * 1000);
  const taken = await takeShown(site);
  const after = await mediaCounters(site).catch(() => null);
  const span = before && after && after.at > before.at ? after : null;
  return {
    jitterBufferMs:
      span && before && span.jitterEmitted > before.jitterEmitted
        ? Math.round((1000 * (span.jitterDelayS - before.jitterDelayS)) / (span.jitterEmitted - before.jitterEmitted))
        : null,
    sentKbps: span && before ? Math.round((8 * (span.bytesSent - before.bytesSent)) / (span.at - before.at)) : null,
    limitedBy: after?.limitedBy ?? null,
    fps: Math.round((10 * taken.frames) / seconds) / 10,
    longestGapMs: taken.longestGapMs,
    g2gP50: percentile(taken.samples, 0.5),
    g2gP95: percentile(taken.samples, 0.95),
    width: taken.width,
  };
}

/** Both directions at once: `a` shows `b`'s picture and `b` shows `a`'s. */
export async function watchBoth(pair: LabPair, seconds: number): Promise<{ a: Picture; b: Picture }> {
  const [a, b] = await Promise.all([watch(pair.a, seconds), watch(pair.b, seconds)]);
  return { a, b };
}

export interface Arrival {
  /** From the later page's first state (its script running) to both being live, in ms. */
  readonly liveMs: number;
  readonly path: { readonly a: PathInUse; readonly b: PathInUse };
}

/** Loads a pair and waits until both are live. */
export async function arrive(
  lab: NetLab,
  base: string,
  options: { readonly params?: string; readonly size?: SceneSize; readonly timeoutMs?: number } = {},
): Promise<{ pair: LabPair; arrival: Arrival }> {
  const pair = await openPair(lab, base, options);
  try {
    const timeout = options.timeoutMs ?? 30_000;
    const [liveA, liveB] = await Promise.all([
      waitForLabState(pair.a, 'live', timeout),
      waitForLabState(pair.b, 'live', timeout),
    ]);
    // Not from the launch of the browsers (a second or two here): from the pages running.
    const firstStates = await Promise.all([pair.a, pair.b].map(async (site) => (await statesOf(site))[0]?.[0] ?? 0));
    const loaded = Math.max(...firstStates);
    const path = { a: await pathInUse(pair.a), b: await pathInUse(pair.b) };
    return { pair, arrival: { liveMs: Math.max(liveA, liveB) - loaded, path } };
  } catch (error) {
    await pair.close();
    throw error;
  }
}

export interface CutOutcome {
  /** Per site: ms from the cut to leaving `live` (null: never left). */
  readonly leftLiveMs: Record<Site, number | null>;
  /** Per site: ms from the network's return to `live` again. */
  readonly liveAgainMs: Record<Site, number>;
  /** What each page said while cut off (the state at the middle of the cut). */
  readonly stateInCut: Record<Site, string>;
  /** Whether a new peer connection (a new session) was made to come back. */
  readonly newSession: boolean;
}

/** Cuts `site` off for `seconds`, then waits for both pages to be live again. */
export async function cutAndReturn(lab: NetLab, pair: LabPair, site: Site, seconds: number): Promise<CutOutcome> {
  const sessionsBefore = [sessionsOpened(pair.a), sessionsOpened(pair.b)];
  const cutAt = Date.now();
  lab.cut(site, true);
  let stateInCut: Record<Site, string> = { a: '', b: '' };
  try {
    await sleep((seconds * 1000) / 2);
    stateInCut = {
      a: (await portalState(pair.a.page)) ?? '',
      b: (await portalState(pair.b.page)) ?? '',
    };
    await sleep(cutAt + seconds * 1000 - Date.now());
  } finally {
    lab.cut(site, false);
  }
  const back = Date.now();
  const [again, leftA, leftB] = await Promise.all([
    Promise.all([waitForLabState(pair.a, 'live', 60_000, back), waitForLabState(pair.b, 'live', 60_000, back)]),
    leftLive(pair.a, cutAt),
    leftLive(pair.b, cutAt),
  ]);
  const sessionsAfter = [sessionsOpened(pair.a), sessionsOpened(pair.b)];
  return {
    leftLiveMs: { a: leftA, b: leftB },
    liveAgainMs: { a: again[0] - back, b: again[1] - back },
    stateInCut,
    newSession: sessionsAfter.some((count, i) => count !== sessionsBefore[i]),
  };
}

/**
 * Sessions the page has opened, from its log (not its peer connections: the signaling client
 * probes the network with throwaway ones while the server is out of reach).
 */
export const sessionsOpened = (site: LabSite) =>
  site.console.filter((line) => line.includes('"event":"session-open"')).length;

/** ms from `since` until the page first left `live`, or null if it stayed. */
async function leftLive(site: LabSite, since: number): Promise<number | null> {
  const states = await statesOf(site);
  const left = states.find(([at, state]) => at > since && state !== 'live');
  return left === undefined ? null : left[0] - since;
}

/** The share of the time from `from` to `to` that the page was `live`. */
export async function liveShare(site: LabSite, from: number, to: number): Promise<number> {
  const states = await statesOf(site);
  let live = 0;
  let current = states.filter(([at]) => at <= from).pop()?.[1] ?? '';
  let since = from;
  for (const [at, state] of states) {
    if (at <= from || at >= to) continue;
    if (current === 'live') live += at - since;
    current = state;
    since = at;
  }
  if (current === 'live') live += to - since;
  return live / (to - from);
}
