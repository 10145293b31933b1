// Debian's Chromium, driven by playwright-core: one browser process per site, a fake camera,
// the flags this machine needs as root, and a fresh profile each time.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env['PORTAL_CHROMIUM'] ?? '/usr/bin/chromium';

/**
 * Flags for Chromium as root on these machines, with a fake camera unless the caller brings its
 * own (the link bench paints one).
 */
export function chromiumArgs(options: { fakeCamera: boolean }): string[] {
  return [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--use-fake-ui-for-media-stream',
    '--autoplay-policy=no-user-gesture-required',
    ...(options.fakeCamera ? ['--use-fake-device-for-media-stream'] : []),
  ];
}

export interface SiteBrowser {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly consoleLines: string[];
  close(): Promise<void>;
}

/** `prepare` runs before the page loads: init scripts, exposed bindings. */
export async function openSite(
  url: string,
  prepare: (context: BrowserContext) => Promise<void> = async () => {},
): Promise<SiteBrowser> {
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'portal-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: chromiumArgs({ fakeCamera: true }),
  });
  await trackPeerConnections(context);
  await prepare(context);
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleLines: string[] = [];
  page.on('console', (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => consoleLines.push(`pageerror: ${error.message}`));
  await page.goto(url);
  return { context, page, consoleLines, close: () => context.close() };
}

/**
 * Test-only instrumentation: remember every RTCPeerConnection the page makes, so a test or the
 * bench can read its stats. simple-peer looks the constructor up when it creates a peer, after
 * this runs.
 */
export async function trackPeerConnections(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const Original = window.RTCPeerConnection;
    const made: RTCPeerConnection[] = [];
    (window as unknown as { __portalPeerConnections: RTCPeerConnection[] }).__portalPeerConnections = made;
    window.RTCPeerConnection = class extends Original {
      constructor(config?: RTCConfiguration) {
        super(config);
        made.push(this);
      }
    } as typeof RTCPeerConnection;
  });
}

export function portalState(page: Page): Promise<string | undefined> {
  return page.evaluate(() => document.documentElement.dataset['portalState']);
}

export async function waitForState(site: SiteBrowser, state: string, timeoutMs = 30_000): Promise<void> {
  try {
    await site.page.waitForFunction((wanted) => document.documentElement.dataset['portalState'] === wanted, state, {
      timeout: timeoutMs,
      polling: 100,
    });
  } catch (error) {
    const now = await portalState(site.page).catch(() => 'unknown');
    throw new Error(
      `state ${now}, not ${state}, after ${timeoutMs} ms; console:\n${site.consoleLines.slice(-20).join('\n')}`,
      { cause: error },
    );
  }
}

/** Frames decoded so far on video#remote, from the element itself. */
export function remoteFramesShown(page: Page): Promise<number> {
  return page.evaluate(() => {
    const video = document.querySelector<HTMLVideoElement>('video#remote');
    return video?.getVideoPlaybackQuality().totalVideoFrames ?? 0;
  });
}

export interface LinkStats {
  readonly inboundCodec: string | null;
  readonly outboundCodec: string | null;
  readonly localCandidateType: string | null;
  readonly inboundWidth: number | null;
  readonly maxBitrate: number | null;
}

/** Stats of the page's newest peer connection that is connected. */
export function linkStats(page: Page): Promise<LinkStats> {
  return page.evaluate(async () => {
    const made = (window as unknown as { __portalPeerConnections: RTCPeerConnection[] }).__portalPeerConnections;
    const pc = [...made].reverse().find((p) => p.connectionState === 'connected');
    if (pc === undefined)
      return {
        inboundCodec: null,
        outboundCodec: null,
        localCandidateType: null,
        inboundWidth: null,
        maxBitrate: null,
      };
    const reports = [...(await pc.getStats()).values()] as Array<Record<string, unknown>>;
    const byId = new Map(reports.map((r) => [r['id'], r]));
    const codecOf = (kind: string) => {
      const rtp = reports.find((r) => r['type'] === kind && r['kind'] === 'video');
      const codec = rtp ? byId.get(rtp['codecId']) : undefined;
      return (codec?.['mimeType'] as string | undefined) ?? null;
    };
    // The pair the transport uses; a nominated, succeeded one where the transport does not say.
    const transport = reports.find((r) => r['type'] === 'transport' && r['selectedCandidatePairId']);
    const pair =
      (transport ? byId.get(transport['selectedCandidatePairId']) : undefined) ??
      reports.find((r) => r['type'] === 'candidate-pair' && r['nominated'] && r['state'] === 'succeeded');
    const local = pair ? byId.get(pair['localCandidateId']) : undefined;
    const inbound = reports.find((r) => r['type'] === 'inbound-rtp' && r['kind'] === 'video');
    const sender = pc.getSenders().find((s) => s.track?.kind === 'video');
    return {
      inboundCodec: codecOf('inbound-rtp'),
      outboundCodec: codecOf('outbound-rtp'),
      localCandidateType: (local?.['candidateType'] as string | undefined) ?? null,
      inboundWidth: (inbound?.['frameWidth'] as number | undefined) ?? null,
      maxBitrate: sender?.getParameters().encodings[0]?.maxBitrate ?? null,
    };
  });
}

export interface VideoFlow {
  /** What this page receives: the partner's picture as decoded here. */
  readonly inWidth: number | null;
  readonly inHeight: number | null;
  readonly inFps: number | null;
  /** What this page sends, and what the encoder says limits it. */
  readonly outWidth: number | null;
  readonly outFps: number | null;
  readonly outBytes: number;
  readonly limitedBy: string | null;
  readonly at: number;
}

/** The video both ways on the page's newest connected peer connection (null between sessions). */
export function videoFlow(page: Page): Promise<VideoFlow | null> {
  return page.evaluate(async () => {
    const made = (window as unknown as { __portalPeerConnections: RTCPeerConnection[] }).__portalPeerConnections;
    const pc = [...made].reverse().find((p) => p.connectionState === 'connected');
    if (pc === undefined) return null;
    const reports = [...(await pc.getStats()).values()] as Array<Record<string, unknown>>;
    const inbound = reports.find((r) => r['type'] === 'inbound-rtp' && r['kind'] === 'video');
    const outbound = reports.find((r) => r['type'] === 'outbound-rtp' && r['kind'] === 'video');
    // No helper functions in here: the bench runs under tsx, whose names would not exist in the page.
    type R = Record<string, number | string | undefined> | undefined;
    const i = inbound as R;
    const o = outbound as R;
    return {
      inWidth: (i?.['frameWidth'] as number | undefined) ?? null,
      inHeight: (i?.['frameHeight'] as number | undefined) ?? null,
      inFps: (i?.['framesPerSecond'] as number | undefined) ?? null,
      outWidth: (o?.['frameWidth'] as number | undefined) ?? null,
      outFps: (o?.['framesPerSecond'] as number | undefined) ?? null,
      outBytes: (o?.['bytesSent'] as number | undefined) ?? 0,
      limitedBy: (o?.['qualityLimitationReason'] as string | undefined) ?? null,
      at: performance.now(),
    };
  });
}
