// npm run bench:link [-- --seconds 10]
//
// Two headless Chromium processes, 1280x720 at 30 fps both ways over loopback, through a real
// `portal serve`: Portal's page, then a bare RTCPeerConnection page speaking the same protocol,
// in the same run. For each: time from the second site's load to live on both, glass-to-glass
// latency p50/p95 each way (clock code painted by the sending canvas, decoded from each shown
// frame), frames per second each way, time to live again after the partner restarts, and CPU of
// both browsers. Then the ratios.

import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { runCli } from '../support/built-cli.js';
import { CHROMIUM, chromiumArgs } from '../support/chromium.js';
import { serveBarePage } from './bare-page.js';
import { CLOCK_CAMERA_SCRIPT, SCENE_PATH } from './clock-camera.js';

const SCENE = fileURLToPath(new URL('../media/street-720p30.webm', import.meta.url));

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '10' }, params: { type: 'string', default: '' } },
});
/** Extra URL parameters for Portal's page (`--params degradation=balanced`), to compare settings. */
const PORTAL_PARAMS = values.params ? `&${values.params}` : '';
const SECONDS = Number(values.seconds);
const KEY = 'bench-key';
type Kind = 'portal' | 'bare';

interface Browser {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly profile: string;
  readonly console: string[];
}

let bareBase = '';

async function open(kind: Kind, base: string, room: string, site: string): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), `portal-bench-${site}-`));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: chromiumArgs({ fakeCamera: false }),
  });
  await context.route(`**${SCENE_PATH}`, (route) =>
    route.fulfill({ path: SCENE, contentType: 'video/webm', headers: { 'cache-control': 'max-age=3600' } }),
  );
  await context.addInitScript({ content: CLOCK_CAMERA_SCRIPT });
  const page = context.pages()[0] ?? (await context.newPage());
  const console: string[] = [];
  page.on('console', (message) => console.push(`${site}: ${message.text()}`));
  page.on('pageerror', (error) => console.push(`${site}: pageerror ${error.message}`));
  if (kind === 'bare') {
    await page.goto(`${bareBase}/bare?room=${room}&site=${site}&key=${KEY}`);
  } else {
    await page.goto(`${base}/?room=${room}&site=${site}&key=${KEY}${PORTAL_PARAMS}`);
  }
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
}
const take = (b: Browser) => b.page.evaluate(() => (window as unknown as { __g2g: { take(): Taken } }).__g2g.take());

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

interface Result {
  readonly toLiveMs: number;
  readonly p50: [number, number];
  readonly p95: [number, number];
  readonly fps: [number, number];
  readonly widths: [number, number];
  readonly samples: [number, number];
  readonly recoveryMs: number;
  readonly cpuPercent: [number, number];
}

async function measure(kind: Kind, base: string): Promise<Result> {
  const room = `bench-${kind}-${Date.now()}`;
  const a = await open(kind, base, room, 'dublin');
  await waitState(a, 'waiting');
  let started = performance.now();
  let b = await open(kind, base, room, 'oslo');
  await Promise.all([waitState(a, 'live'), waitState(b, 'live')]);
  const toLiveMs = performance.now() - started;

  await new Promise((resolve) => setTimeout(resolve, 2_000)); // settle the bitrate ramp
  await Promise.all([take(a), take(b)]);
  const cpuBefore = [cpuTicks(a), cpuTicks(b)];
  const windowStart = performance.now();
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1_000));
  const [atA, atB] = await Promise.all([take(a), take(b)]);
  const elapsed = (performance.now() - windowStart) / 1_000;
  const cpuPercent: [number, number] = [
    (cpuTicks(a) - cpuBefore[0]!) / elapsed,
    (cpuTicks(b) - cpuBefore[1]!) / elapsed,
  ];

  // The partner restarts: its browser goes away and a new one loads the page.
  await b.context.close();
  await a.page.waitForFunction(() => document.documentElement.dataset['portalState'] !== 'live', undefined, {
    timeout: 30_000,
    polling: 20,
  });
  started = performance.now();
  b = await open(kind, base, room, 'oslo');
  await Promise.all([waitState(a, 'live'), waitState(b, 'live')]);
  const recoveryMs = performance.now() - started;
  if ((await state(a)) !== 'live') throw new Error(`${kind}: not live after restart`);
  await Promise.all([a.context.close(), b.context.close()]);

  // atA holds what dublin received, i.e. the oslo -> dublin direction.
  return {
    toLiveMs,
    p50: [percentile(atB.samples, 0.5), percentile(atA.samples, 0.5)],
    p95: [percentile(atB.samples, 0.95), percentile(atA.samples, 0.95)],
    fps: [atB.frames / elapsed, atA.frames / elapsed],
    widths: [atB.width, atA.width],
    samples: [atB.samples.length, atA.samples.length],
    recoveryMs,
    cpuPercent,
  };
}

const cli = runCli(['serve', '--host', '127.0.0.1', '--port', '0', '--key', KEY]);
try {
  const [, base] = await cli.waitForLine(/^listening on (\S+)$/);
  const bare = await serveBarePage(`${base!.replace('http', 'ws')}/signal`);
  bareBase = bare.base;
  console.log(`link bench: 1280x720 at 30 fps both ways over loopback, ${SECONDS} s window, headless Chromium`);
  const portal = await measure('portal', base!);
  const reference = await measure('bare', base!);
  await bare.stop();
  const f = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
  const row = (name: string, r: Result) =>
    [
      name,
      f(r.toLiveMs, 0),
      `${f(r.p50[0])} / ${f(r.p50[1])}`,
      `${f(r.p95[0])} / ${f(r.p95[1])}`,
      `${f(r.fps[0])} / ${f(r.fps[1])}`,
      `${r.widths[0]} / ${r.widths[1]}`,
      f(r.recoveryMs, 0),
      `${f(r.cpuPercent[0], 0)} / ${f(r.cpuPercent[1], 0)}`,
      `${r.samples[0]} / ${r.samples[1]}`,
    ].join('\t');
  const ratio = (x: number, y: number) => (y === 0 || !Number.isFinite(x / y) ? 'n/a' : `${(x / y).toFixed(2)}x`);
  console.log(
    [
      'page',
      'to live ms',
      'g2g p50 ms a>b / b>a',
      'g2g p95 ms',
      'fps a>b / b>a',
      'width',
      'restart to live ms',
      'CPU % a / b',
      'samples',
    ].join('\t'),
  );
  console.log(row('portal', portal));
  console.log(row('bare', reference));
  console.log(
    [
      'portal/bare',
      ratio(portal.toLiveMs, reference.toLiveMs),
      `${ratio(portal.p50[0], reference.p50[0])} / ${ratio(portal.p50[1], reference.p50[1])}`,
      `${ratio(portal.p95[0], reference.p95[0])} / ${ratio(portal.p95[1], reference.p95[1])}`,
      `${ratio(portal.fps[0], reference.fps[0])} / ${ratio(portal.fps[1], reference.fps[1])}`,
      '',
      ratio(portal.recoveryMs, reference.recoveryMs),
      `${ratio(portal.cpuPercent[0], reference.cpuPercent[0])} / ${ratio(portal.cpuPercent[1], reference.cpuPercent[1])}`,
    ].join('\t'),
  );
} finally {
  cli.child.kill('SIGTERM');
  await cli.exited;
}
