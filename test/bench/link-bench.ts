// npm run bench:link [-- --seconds 10 --hold 2 --sizes 1280x720,1920x1080 --params degradation=balanced]
//
// Two headless Chromium processes, both ways over loopback, through a real `portal serve`, each
// sending a recorded real scene with a clock code over it (test/support/scene-camera.ts): Portal's
// page, then a bare RTCPeerConnection page speaking the same protocol, in the same run, at each
// size. For each: time from the second site's load to live on both; per direction the received
// resolution and frame rate 1, 3, 5 and 10 s after live (and what limits the sender);
// glass-to-glass latency p50/p95 and frames per second over a window; CPU of each site's browser
// (all its processes); time to live again after the partner restarts. Then a hold of a few minutes
// at the first size that shows whether fps and latency keep, and the ratios Portal / bare.

import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { runCli } from '../support/built-cli.js';
import { CHROMIUM, chromiumArgs, trackPeerConnections, videoFlow, type VideoFlow } from '../support/chromium.js';
import { useSceneCamera, type SceneSize } from '../support/scene-camera.js';
import { startLabTurn, TURN_SECRET } from '../support/lab-portal.js';
import { startNetLab, type NetLab } from '../support/net-lab.js';
import { barePageHtml, serveBarePage } from './bare-page.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    hold: { type: 'string', default: '2' },
    sizes: { type: 'string', default: '1280x720,1920x1080' },
    params: { type: 'string', default: '' },
    caps: { type: 'string', default: '' },
  },
});
/** tc rates (`1mbit,300kbit`): rows over a capped link between two network namespaces (root). */
const CAPS = values.caps ? values.caps.split(',') : [];
/** Extra URL parameters for Portal's page (`--params degradation=balanced`), to compare settings. */
const PORTAL_PARAMS = values.params ? `&${values.params}` : '';
const SECONDS = Number(values.seconds);
const HOLD_MINUTES = Number(values.hold);
const SIZES: SceneSize[] = values.sizes.split(',').map((size) => {
  const [width, height] = size.split('x').map(Number);
  if (!width || !height) throw new Error(`--sizes takes WIDTHxHEIGHT,..., got '${size}'`);
  return { width, height, fps: 30 };
});
const MARKS_S = [1, 3, 5, 10];
const KEY = 'bench-key';
type Kind = 'portal' | 'bare';

interface Browser {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly profile: string;
  readonly console: string[];
}

let bareBase = '';
/** Set while the rows over a capped link run: dublin in namespace a, oslo in b. */
let lab: NetLab | null = null;

async function open(kind: Kind, base: string, room: string, site: string, size: SceneSize): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), `portal-bench-${site}-`));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: lab === null ? CHROMIUM : lab.chromium(site === 'dublin' ? 'a' : 'b'),
    headless: true,
    args: [
      ...chromiumArgs({ fakeCamera: false }),
      // In the lab the page comes from a private address: a camera needs a secure origin, and
      // the bare page (fulfilled below, with no address space) reaches the server there.
      ...(lab === null
        ? []
        : [`--unsafely-treat-insecure-origin-as-secure=${base}`, '--disable-features=LocalNetworkAccessChecks']),
    ],
  });
  if (lab !== null && kind === 'bare') {
    await context.route(`${base}/bare?**`, (route) => {
      const url = new URL(route.request().url());
      const p = (name: string) => url.searchParams.get(name) ?? '';
      return route.fulfill({
        contentType: 'text/html',
        body: barePageHtml(`${base.replace('http', 'ws')}/signal`, p('room'), p('site'), p('key')),
      });
    });
  }
  await useSceneCamera(context, size);
  await trackPeerConnections(context);
  const page = context.pages()[0] ?? (await context.newPage());
  const console: string[] = [];
  page.on('console', (message) => console.push(`${site}: ${message.text()}`));
  page.on('pageerror', (error) => console.push(`${site}: pageerror ${error.message}`));
  const sizeParams = `&width=${size.width}&height=${size.height}&fps=${size.fps}`;
  if (kind === 'bare')
    await page.goto(`${lab === null ? bareBase : base}/bare?room=${room}&site=${site}&key=${KEY}${sizeParams}`);
  else await page.goto(`${base}/?room=${room}&site=${site}&key=${KEY}${sizeParams}${PORTAL_PARAMS}`);
  return { context, page, profile, console };
}

const state = (b: Browser) => b.page.evaluate(() => document.documentElement.dataset['portalState']);
async function waitState(b: Browser, wanted: string, timeout = 30_000): Promise<void> {
  try {
    await b.page.waitForFunction((w) => document.documentElement.dataset['portalState'] === w, wanted, {
      timeout,
      polling: 20,
    });
  } catch (error) {
    throw new Error(`not ${wanted} within ${timeout} ms (now ${await state(b)}):\n${b.console.slice(-15).join('\n')}`, {
      cause: error,
    });
  }
}

interface Taken {
  readonly samples: number[];
  readonly frames: number;
  readonly width: number;
  readonly longestGapMs: number;
}
const take = (b: Browser) => b.page.evaluate(() => (window as unknown as { __g2g: { take(): Taken } }).__g2g.take());
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** CPU ticks (1/100 s) used so far by every process of this browser profile. */
function cpuTicks(b: Browser): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(b.profile)) continue;
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone meanwhile
    }
  }
  return ticks;
}

const percentile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};

/** A direction's picture at one moment: what the receiver decodes, what limits the sender. */
interface Mark {
  readonly received: string;
  readonly limitedBy: string;
}
const markOf = (receiver: VideoFlow | null, sender: VideoFlow | null): Mark => ({
  received:
    receiver?.inWidth == null ? 'none' : `${receiver.inWidth}x${receiver.inHeight}@${Math.round(receiver.inFps ?? 0)}`,
  limitedBy: sender?.limitedBy ?? '?',
});

interface Result {
  readonly toLiveMs: number;
  /** [a>b, b>a] at each of MARKS_S. */
  readonly marks: Array<[Mark, Mark]>;
  readonly p50: [number, number];
  readonly p95: [number, number];
  readonly fps: [number, number];
  readonly longestGap: [number, number];
  readonly recoveryMs: number | null;
  readonly cpuPercent: [number, number];
  readonly hold: string[];
}

/** Glass-to-glass and frame rate each way over `seconds`, with the CPU both browsers spent. */
async function window(a: Browser, b: Browser, seconds: number) {
  await Promise.all([take(a), take(b)]);
  const cpuBefore = [cpuTicks(a), cpuTicks(b)];
  const start = performance.now();
  await sleep(seconds * 1_000);
  const [atA, atB] = await Promise.all([take(a), take(b)]);
  const elapsed = (performance.now() - start) / 1_000;
  // atA holds what dublin received, i.e. the oslo -> dublin direction.
  return {
    p50: [percentile(atB.samples, 0.5), percentile(atA.samples, 0.5)] as [number, number],
    p95: [percentile(atB.samples, 0.95), percentile(atA.samples, 0.95)] as [number, number],
    fps: [atB.frames / elapsed, atA.frames / elapsed] as [number, number],
    longestGap: [atB.longestGapMs, atA.longestGapMs] as [number, number],
    cpuPercent: [(cpuTicks(a) - cpuBefore[0]!) / elapsed, (cpuTicks(b) - cpuBefore[1]!) / elapsed] as [number, number],
  };
}

async function measure(kind: Kind, base: string, size: SceneSize, restart: boolean, holdMinutes: number) {
  const room = `bench-${kind}-${size.height}-${Date.now()}`;
  const a = await open(kind, base, room, 'dublin', size);
  await waitState(a, 'waiting');
  let started = performance.now();
  let b = await open(kind, base, room, 'oslo', size);
  await Promise.all([waitState(a, 'live'), waitState(b, 'live')]);
  const liveAt = performance.now();
  const toLiveMs = liveAt - started;

  const marks: Array<[Mark, Mark]> = [];
  for (const second of MARKS_S) {
    await sleep(Math.max(0, liveAt + second * 1_000 - performance.now()));
    const [fa, fb] = await Promise.all([videoFlow(a.page), videoFlow(b.page)]);
    marks.push([markOf(fb, fa), markOf(fa, fb)]);
  }
  const measured = await window(a, b, SECONDS);

  const hold: string[] = [];
  for (let minute = 1; minute <= holdMinutes; minute++) {
    const w = await window(a, b, 60);
    const f = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : 'n/a');
    hold.push(
      `${kind} ${size.width}x${size.height} minute ${minute}: fps ${w.fps.map((x) => x.toFixed(1)).join(' / ')}, ` +
        `longest gap ${w.longestGap.join(' / ')} ms, ` +
        `g2g p50 ${w.p50.map(f).join(' / ')} ms, p95 ${w.p95.map(f).join(' / ')} ms, CPU ${w.cpuPercent.map(f).join(' / ')} %`,
    );
    console.log(hold.at(-1));
  }

  let recoveryMs: number | null = null;
  if (restart) {
    // The partner restarts: its browser goes away and a new one loads the page.
    await b.context.close();
    await a.page
      .waitForFunction(() => document.documentElement.dataset['portalState'] !== 'live', undefined, {
        timeout: 30_000,
        polling: 20,
      })
      .catch((error: unknown) => {
        throw new Error(`${kind}: still live 30 s after the partner left:\n${a.console.slice(-15).join('\n')}`, {
          cause: error,
        });
      });
    started = performance.now();
    b = await open(kind, base, room, 'oslo', size);
    await Promise.all([waitState(a, 'live'), waitState(b, 'live')]);
    recoveryMs = performance.now() - started;
  }
  await Promise.all([a.context.close(), b.context.close()]);
  return { toLiveMs, marks, ...measured, recoveryMs, hold } satisfies Result;
}

const f = (n: number | null, d = 1) => (n !== null && Number.isFinite(n) ? n.toFixed(d) : 'n/a');
const ratio = (x: number | null, y: number | null) =>
  x === null || y === null || y === 0 || !Number.isFinite(x / y) ? 'n/a' : `${(x / y).toFixed(2)}x`;
const pair = (p: [number, number], d = 1) => `${f(p[0], d)} / ${f(p[1], d)}`;

function print(title: string, portal: Result, bare: Result): void {
  console.log(`\n${title} (a>b / b>a)`);
  const rows: Array<[string, (r: Result) => string, string]> = [
    ['to live ms', (r) => f(r.toLiveMs, 0), ratio(portal.toLiveMs, bare.toLiveMs)],
    ...MARKS_S.map(
      (second, i) =>
        [
          `received at ${second} s (limited by)`,
          (r: Result) => r.marks[i]!.map((m) => `${m.received} (${m.limitedBy})`).join(' / '),
          '',
        ] as [string, (r: Result) => string, string],
    ),
    [
      'g2g p50 ms',
      (r) => pair(r.p50, 0),
      `${ratio(portal.p50[0], bare.p50[0])} / ${ratio(portal.p50[1], bare.p50[1])}`,
    ],
    [
      'g2g p95 ms',
      (r) => pair(r.p95, 0),
      `${ratio(portal.p95[0], bare.p95[0])} / ${ratio(portal.p95[1], bare.p95[1])}`,
    ],
    ['fps shown', (r) => pair(r.fps), `${ratio(portal.fps[0], bare.fps[0])} / ${ratio(portal.fps[1], bare.fps[1])}`],
    ['longest gap between frames ms', (r) => pair(r.longestGap, 0), ''],
    [
      'CPU % of a core, site a / b',
      (r) => pair(r.cpuPercent, 0),
      `${ratio(portal.cpuPercent[0], bare.cpuPercent[0])} / ${ratio(portal.cpuPercent[1], bare.cpuPercent[1])}`,
    ],
    ['partner restart to live ms', (r) => f(r.recoveryMs, 0), ratio(portal.recoveryMs, bare.recoveryMs)],
  ];
  console.log(['', 'portal', 'bare', 'portal/bare'].join('\t'));
  for (const [name, cell, ratioCell] of rows) console.log([name, cell(portal), cell(bare), ratioCell].join('\t'));
  for (const line of [...portal.hold, ...bare.hold]) console.log(line);
}

async function serve(where: NetLab | null) {
  const host = where?.signalingAddress ?? '127.0.0.1';
  // Behind the lab's NATs the sites need the core's STUN and TURN (coturn answers both).
  const turn = where === null ? null : await startLabTurn(where);
  const turnArgs = turn === null ? [] : ['--turn-url', turn.urls.join(','), '--turn-secret', TURN_SECRET];
  const server = runCli(
    ['serve', '--host', host, '--port', '0', '--key', KEY, ...turnArgs],
    {},
    where?.prefix('core') ?? [],
  );
  const [, base] = await server.waitForLine(/^listening on (\S+)$/);
  return { server, base: base! };
}

console.log(
  `link bench: a recorded real scene both ways, headless Chromium, ${SECONDS} s windows` +
    (PORTAL_PARAMS ? `, Portal with ${values.params}` : ''),
);
const local = await serve(null);
try {
  const bare = await serveBarePage(`${local.base.replace('http', 'ws')}/signal`);
  bareBase = bare.base;
  for (const [index, size] of SIZES.entries()) {
    const hold = index === 0 ? HOLD_MINUTES : 0;
    const portal = await measure('portal', local.base, size, index === 0, hold);
    const reference = await measure('bare', local.base, size, index === 0, hold);
    print(`${size.width}x${size.height} at ${size.fps} fps asked for, both ways over loopback`, portal, reference);
  }
  await bare.stop();
} finally {
  local.server.child.kill('SIGTERM');
  await local.server.exited;
}
for (const cap of CAPS) {
  lab = startNetLab('bench');
  // Each site's own link is capped: both ways, the bottleneck is the thinner of the two.
  lab.cap('a', cap);
  lab.cap('b', cap);
  const { server, base } = await serve(lab);
  try {
    const size = SIZES[0]!;
    const portal = await measure('portal', base, size, false, 0);
    const reference = await measure('bare', base, size, false, 0);
    print(
      `${size.width}x${size.height} asked for, both ways over a link capped at ${cap} each way (tc tbf)`,
      portal,
      reference,
    );
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
    lab.stop();
    lab = null;
  }
}
