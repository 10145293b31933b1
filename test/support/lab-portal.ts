// Portal in the network lab (net-lab.ts): coturn and `portal serve` in the core, a Chromium site
// in each site's namespace showing the real scene, and what the network e2e tests and
// `npm run bench:network` read off the pages: state changes with their wall-clock times, the
// peer connections made, the picture as shown, the candidate pair in use.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { runCli, type RunningCli } from './built-cli.js';
import { chromiumArgs, trackPeerConnections } from './chromium.js';
import { untilTurnserverReady } from './coturn.js';
import type { NetLab, Site } from './net-lab.js';
import { useSceneCamera, type SceneSize } from './scene-camera.js';
import { makeSelfSignedCert } from './self-signed-cert.js';

export const LAB_KEY = 'lab-key';
export const TURN_SECRET = 'lab-turn-secret';
/** The signaling server listens on 443 too, so a site that may only reach TCP 443 still reaches it. */
export const SIGNALING_PORT = 443;

export interface LabTurn {
  /** turn: over UDP and TCP on 3478, turns: (TLS) on 443. */
  readonly urls: readonly string[];
  readonly log: () => string;
  stop(): Promise<void>;
}

/** coturn in the core with the TURN REST scheme (use-auth-secret), on UDP, TCP and TLS. */
export async function startLabTurn(lab: NetLab): Promise<LabTurn> {
  const cert = makeSelfSignedCert();
  const address = lab.turnAddress;
  const [command, ...prefix] = lab.prefix('core');
  const child: ChildProcess = spawn(command!, [
    ...prefix,
    'turnserver',
    '-n',
    `--listening-ip=${address}`,
    `--relay-ip=${address}`,
    '--listening-port=3478',
    '--tls-listening-port=443',
    `--cert=${cert.certFile}`,
    `--pkey=${cert.keyFile}`,
    '--no-dtls',
    '--min-port=49160',
    '--max-port=49400',
    '--use-auth-secret',
    `--static-auth-secret=${TURN_SECRET}`,
    '--realm=portal.lab',
    '--no-cli',
    '--log-file=stdout',
    '--simple-log',
    '--no-software-attribute',
    '--no-multicast-peers',
  ]);
  const log = await untilTurnserverReady(child);
  return {
    urls: [`turn:${address}:3478?transport=udp`, `turn:${address}:3478?transport=tcp`, `turns:${address}:443`],
    log,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

export interface LabServer {
  readonly cli: RunningCli;
  /** The page's base, `http://198.18.0.1:443`. */
  readonly base: string;
  stop(): Promise<void>;
}

/** `portal serve` in the core on port 443, handing out TURN credentials for `turn`. */
export async function serveInLab(lab: NetLab, turn: LabTurn | null): Promise<LabServer> {
  const args = ['serve', '--host', lab.signalingAddress, '--port', String(SIGNALING_PORT), '--key', LAB_KEY];
  if (turn !== null) args.push('--turn-url', turn.urls.join(','), '--turn-secret', TURN_SECRET);
  const cli = runCli(args, {}, lab.prefix('core'));
  await cli.waitForLine(/^listening on /);
  return {
    cli,
    base: `http://${lab.signalingAddress}:${SIGNALING_PORT}`,
    async stop() {
      if (cli.child.exitCode !== null) return;
      cli.child.kill('SIGTERM');
      await cli.exited;
    },
  };
}

export interface LabSite {
  readonly site: Site;
  readonly context: BrowserContext;
  readonly page: Page;
  readonly console: string[];
  /** The profile directory: the browser's processes carry it on their command line. */
  readonly profile: string;
  /** Loads the portal page (again). */
  load(): Promise<void>;
  close(): Promise<void>;
}

export interface LabSiteOptions {
  readonly base: string;
  readonly room: string;
  readonly name: string;
  /** More URL parameters, `&`-joined (`relay=1`). */
  readonly params?: string;
  readonly size?: SceneSize;
  /** Chromium's own flags, besides the lab's. */
  readonly flags?: readonly string[];
  /**
   * Where the page's files come from: `site`, from this machine as a kiosk's host serves them
   * (default: a thin link then carries the call, not a 260 KB bundle), or `server`, over the link.
   */
  readonly pageFrom?: 'site' | 'server';
  /** False: the page's plain-http origin is not treated as secure (a browser as it comes). */
  readonly secureOrigin?: boolean;
}

/** The built renderer, which a kiosk's own host serves to its page. */
const BUILT_PAGE = fileURLToPath(new URL('../../dist/renderer/', import.meta.url));

/** A Chromium in `site`'s namespace, with the scene camera, on the portal page. */
export async function openLabSite(lab: NetLab, site: Site, options: LabSiteOptions): Promise<LabSite> {
  const profile = mkdtempSync(join(tmpdir(), `portal-lab-${site}-`));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: lab.chromium(site),
    headless: true,
    args: [
      ...chromiumArgs({ fakeCamera: false }),
      // The page comes over plain http from the core's address: a camera needs a secure origin.
      ...(options.secureOrigin === false ? [] : [`--unsafely-treat-insecure-origin-as-secure=${options.base}`]),
      '--disable-features=LocalNetworkAccessChecks',
      // coturn's TLS certificate in the lab is self-signed (turns: on 443).
      '--ignore-certificate-errors',
      ...(options.flags ?? []),
    ],
  });
  if ((options.pageFrom ?? 'site') === 'site') {
    await context.route(`${options.base}/**`, (route) => {
      const path = new URL(route.request().url()).pathname;
      const file = join(BUILT_PAGE, path === '/' ? 'index.html' : path);
      return path !== '/healthz' && file.startsWith(BUILT_PAGE) && existsSync(file)
        ? route.fulfill({ path: file })
        : route.continue();
    });
  }
  await useSceneCamera(context, options.size);
  await trackPeerConnections(context);
  await context.addInitScript(recordStates);
  const page = context.pages()[0] ?? (await context.newPage());
  const lines: string[] = [];
  page.on('console', (message) => lines.push(`${new Date().toISOString()} ${site}: ${message.text()}`));
  page.on('pageerror', (error) => lines.push(`${site}: pageerror ${error.message}`));
  const size = options.size ?? { width: 1280, height: 720, fps: 30 };
  const url =
    `${options.base}/?room=${options.room}&site=${options.name}&key=${LAB_KEY}` +
    `&width=${size.width}&height=${size.height}&fps=${size.fps}${options.params ? `&${options.params}` : ''}`;
  const load = async () => {
    await page.goto(url);
  };
  await load();
  return { site, context, page, console: lines, profile, load, close: () => context.close() };
}

/** Init script: every page-state change with its wall-clock time, in window.__states. */
function recordStates(): void {
  const states: Array<[number, string]> = [];
  (window as unknown as { __states: Array<[number, string]> }).__states = states;
  // On the document, not its element: an init script runs before <html> exists.
  new MutationObserver(() => {
    const state = document.documentElement?.dataset['portalState'] ?? '';
    if (states.length === 0 || states[states.length - 1]![1] !== state) states.push([Date.now(), state]);
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-portal-state'] });
}

export const statesOf = (site: LabSite) =>
  site.page.evaluate(() => (window as unknown as { __states: Array<[number, string]> }).__states.slice());

/** The first time at or after `since` that the page was in `state` (null: not yet). */
export async function whenState(site: LabSite, state: string, since: number): Promise<number | null> {
  const states = await statesOf(site);
  let current: [number, string] | undefined;
  for (const entry of states) {
    if (entry[0] <= since) current = entry;
    else if (entry[1] === state) return current?.[1] === state ? since : entry[0];
  }
  return current?.[1] === state ? since : null;
}

/** Waits until the page is in `state`, and returns when it got there (wall clock). */
export async function waitForLabState(site: LabSite, state: string, timeoutMs: number, since = 0): Promise<number> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const at = await whenState(site, state, since);
    if (at !== null) return at;
    if (Date.now() > until) {
      const states = (await statesOf(site)).map(([t, s]) => `${new Date(t).toISOString()} ${s}`);
      throw new Error(
        `${site.site}: not ${state} within ${timeoutMs} ms; states:\n${states.join('\n')}\nconsole:\n` +
          site.console.slice(-25).join('\n'),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface Taken {
  readonly samples: number[];
  readonly frames: number;
  readonly width: number;
  readonly longestGapMs: number;
}

/** What the scene camera's reader saw of the partner's picture since the last take. */
export const takeShown = (site: LabSite) =>
  site.page.evaluate(() => (window as unknown as { __g2g: { take(): Taken } }).__g2g.take());

export interface MediaCounters {
  /** inbound-rtp video: jitterBufferDelay (s) and jitterBufferEmittedCount, summed. */
  readonly jitterDelayS: number;
  readonly jitterEmitted: number;
  /** outbound-rtp video: bytes sent, and why the quality is limited now. */
  readonly bytesSent: number;
  readonly limitedBy: string | null;
  readonly at: number;
}

/** The counters of the newest connected peer connection, to explain a latency or rate figure. */
export function mediaCounters(site: LabSite): Promise<MediaCounters | null> {
  return site.page.evaluate(async () => {
    const made = (window as unknown as { __portalPeerConnections: RTCPeerConnection[] }).__portalPeerConnections;
    const pc = [...made].reverse().find((p) => p.connectionState === 'connected');
    if (pc === undefined) return null;
    const reports = [...(await pc.getStats()).values()] as Array<Record<string, unknown>>;
    const video = (type: string) => reports.filter((r) => r['type'] === type && r['kind'] === 'video');
    const sum = (rows: Array<Record<string, unknown>>, key: string) =>
      rows.reduce((total, row) => total + (Number(row[key]) || 0), 0);
    const outbound = video('outbound-rtp');
    return {
      jitterDelayS: sum(video('inbound-rtp'), 'jitterBufferDelay'),
      jitterEmitted: sum(video('inbound-rtp'), 'jitterBufferEmittedCount'),
      bytesSent: sum(outbound, 'bytesSent'),
      limitedBy: (outbound[0]?.['qualityLimitationReason'] as string | undefined) ?? null,
      at: performance.now(),
    };
  });
}

export interface PathInUse {
  readonly local: string | null;
  readonly remote: string | null;
  /** For a relay candidate: how it reaches the TURN server (udp, tcp, tls). */
  readonly relayProtocol: string | null;
}

/** The candidate types of the pair the newest connected peer connection uses. */
export function pathInUse(site: LabSite): Promise<PathInUse> {
  return site.page.evaluate(async () => {
    const made = (window as unknown as { __portalPeerConnections: RTCPeerConnection[] }).__portalPeerConnections;
    const pc = [...made].reverse().find((p) => p.connectionState === 'connected');
    if (pc === undefined) return { local: null, remote: null, relayProtocol: null };
    const reports = [...(await pc.getStats()).values()] as Array<Record<string, unknown>>;
    const byId = new Map(reports.map((r) => [r['id'], r]));
    const transport = reports.find((r) => r['type'] === 'transport' && r['selectedCandidatePairId']);
    const pair = transport ? byId.get(transport['selectedCandidatePairId']) : undefined;
    const local = pair ? byId.get(pair['localCandidateId']) : undefined;
    const remote = pair ? byId.get(pair['remoteCandidateId']) : undefined;
    return {
      local: (local?.['candidateType'] as string | undefined) ?? null,
      remote: (remote?.['candidateType'] as string | undefined) ?? null,
      relayProtocol: (local?.['relayProtocol'] as string | undefined) ?? null,
    };
  });
}

/** The TURN usernames (`EXPIRY:SITE`) each session of the page was given, oldest first. */
export const sessionTurnUsernames = (site: LabSite) =>
  site.page.evaluate(() =>
    (window as unknown as { __portalPeerConnections: RTCPeerConnection[] }).__portalPeerConnections
      // A session sends media; a probe has only its data channel.
      .filter((pc) => pc.getTransceivers().length > 0)
      .map((pc) => String(pc.getConfiguration().iceServers?.find((server) => server.username)?.username ?? '')),
  );
