// npm run soak [-- --minutes 60 --width 960 --height 540]
//
// Two sites through the whole stack for N minutes, as two real sites run: each a real `portal
// kiosk --config FILE` (the built CLI) on its own X display, with its own config file and browser
// profile; dublin hosts the signaling server, oslo points `signaling.url` at it, so oslo reaches
// its partner's server over the network as a second site would (loopback here) and each host
// supervises only its own browser. Both send the recorded real scene with its clock code
// (test/support/scene-camera.ts). Every minute one line per site: page state, frames per second,
// freezes (gaps over 1 s between frames shown, and the longest gap), glass-to-glass p50/p95,
// browser memory (RSS over its processes, the page's JS heap) and CPU, host memory (RSS, heap)
// and CPU, and the host's repairs. At the end the goals: no freeze over 1 s, memory growth after
// the first 10 minutes under 5 % an hour, p95 within 20 % of the first 10 minutes' (a run under
// 50 minutes is read against its first fifth instead, and its last fifth is compared with that).
//
// Exit 0 when the run was measured, whatever the figures; 1 when the stack broke (a site never
// went live, a kiosk host or display exited); 2 for a bad command line.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultConfig, type PortalConfig } from '../../app/config/portal-config.js';
import { assertBuilt } from '../support/built-cli.js';
import { freePort } from '../support/free-port.js';
import { MINUTE_HEADER, minuteLine, summaryLines, type SiteRecord } from './soak-report.js';
import { SoakSite } from './soak-site.js';

const USAGE = 'Usage: npm run soak -- [--minutes N] [--width W --height H]   (default 60 min at 960x540)';

function commandLine(): { minutes: number; width: number; height: number } {
  const fail = (sentence: string): never => {
    process.stderr.write(`soak: ${sentence}\n${USAGE}\n`);
    process.exit(2);
  };
  let values: { minutes?: string; width?: string; height?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        minutes: { type: 'string' },
        width: { type: 'string' },
        height: { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return fail(`${(error as Error).message.split('\n')[0]!.replace(/\.?$/, '.')}`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const minutes = Number(values.minutes ?? '60');
  if (!(minutes > 0 && minutes <= 24 * 60))
    fail(`--minutes must be a number above 0, at most 1440, got '${values.minutes}'.`);
  const whole = (name: string, text: string, low: number, high: number): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < low || n > high || n % 2 !== 0)
      fail(`--${name} must be an even whole number from ${low} to ${high}, got '${text}'.`);
    return n;
  };
  return {
    minutes,
    width: whole('width', values.width ?? '960', 160, 3840),
    height: whole('height', values.height ?? '540', 120, 2160),
  };
}

const { minutes, width, height } = commandLine();
const FPS = 30;
const RUN_MS = minutes * 60_000;
const KEY = 'soak-key-0123456789abcdef';

const dir = mkdtempSync(join(tmpdir(), 'portal-soak-'));
const sites: SoakSite[] = [];
let stopSignal: NodeJS.Signals | null = null;
let cleaned: Promise<void> | null = null;
const cleanup = (): Promise<void> =>
  (cleaned ??= (async () => {
    await Promise.all(sites.map((site) => site.stop().catch(() => undefined)));
    rmSync(dir, { recursive: true, force: true });
  })());
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    // A second Ctrl+C does not wait for the summary.
    if (stopSignal !== null) void cleanup().then(() => process.exit(130));
    stopSignal = signal;
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const broke = (sentence: string): never => {
  throw Object.assign(new Error(sentence), { broke: true });
};

function siteConfig(site: string, signaling: PortalConfig['signaling']): PortalConfig {
  return {
    ...defaultConfig(site, KEY),
    room: 'soak',
    width,
    height,
    fps: FPS,
    // No machine here has a video device; `auto` would find none either, this says so.
    hardwareVideo: 'off',
    signaling,
  };
}

async function startSites(): Promise<void> {
  const hostPort = await freePort();
  let guestPort = await freePort();
  while (guestPort === hostPort) guestPort = await freePort();
  const size = { width, height, fps: FPS };
  const specs = [
    { name: 'dublin', signaling: { host: true, port: hostPort, url: null, turn: null } },
    {
      name: 'oslo',
      signaling: { host: false, port: guestPort, url: `ws://127.0.0.1:${hostPort}/signal`, turn: null },
    },
  ];
  for (const spec of specs) {
    if (stopSignal !== null) return;
    await SoakSite.start(
      { name: spec.name, dir: join(dir, spec.name), config: siteConfig(spec.name, spec.signaling), size },
      (site) => sites.push(site),
    ).catch((error: Error) => broke(`${spec.name}'s kiosk did not start: ${error.message.slice(0, 2000)}`));
  }
}

/** Both sites attached to and live (ms since `started`), else the stack is broken. */
async function untilLive(started: number): Promise<number> {
  for (const site of sites) {
    for (;;) {
      if (stopSignal !== null) return Date.now() - started;
      try {
        await site.attach();
        break;
      } catch (error) {
        if (Date.now() - started > 30_000)
          broke(`could not attach to ${site.name}'s browser within 30 s: ${(error as Error).message}`);
        await sleep(500);
      }
    }
  }
  const states = new Map<string, string | null>();
  while (stopSignal === null) {
    for (const site of sites) {
      const died = site.died;
      if (died !== null && stopSignal === null) broke(`${site.name}: ${died}`);
      states.set(site.name, (await site.tick()).state);
    }
    if ([...states.values()].every((state) => state === 'live')) break;
    if (Date.now() - started > 90_000)
      broke(`not live 90 s after the start: ${[...states].map(([name, state]) => `${name} ${state}`).join(', ')}`);
    await sleep(250);
  }
  return Date.now() - started;
}

/** Ticks both sites every second until the run is over; `ran` says how far it got. */
async function soak(records: Map<SoakSite, SiteRecord>, ran: { ms: number }): Promise<void> {
  const start = Date.now();
  let minute = 0;
  console.log(MINUTE_HEADER);
  for (let tick = 1; stopSignal === null && Date.now() - start < RUN_MS; tick++) {
    await sleep(Math.max(0, start + tick * 1000 - Date.now()));
    const t = Date.now() - start;
    const taken = await Promise.all(sites.map((site) => site.tick()));
    // Ctrl+C reaches the kiosks too (one process group): what they show then is not the soak's.
    if (stopSignal !== null) break;
    for (const [i, site] of sites.entries()) {
      const died = site.died;
      if (died !== null) broke(`${site.name}: ${died} after ${(t / 60_000).toFixed(1)} min`);
      const record = records.get(site)!;
      const { state, frames, samples, longestGapMs, gapsOver1sMs } = taken[i]!;
      record.seconds.push({ t, state, frames, samples, longestGapMs });
      for (const gap of gapsOver1sMs) record.gaps.push({ t, ms: gap });
      record.attachments = site.attachments;
    }
    if (tick % 10 === 0 || tick === 1) {
      await Promise.all(
        sites.map(async (site) => {
          const record = records.get(site)!;
          record.memory.push({ t, ...(await site.memory()) });
          record.health = (await site.health()) ?? record.health;
        }),
      );
    }
    ran.ms = t;
    if (t >= (minute + 1) * 60_000 || t >= RUN_MS) {
      minute++;
      for (const site of sites) console.log(minuteLine(minute, records.get(site)!, (minute - 1) * 60_000, t + 1));
    }
  }
}

let code = 0;
try {
  assertBuilt();
  console.log(
    `soak: ${minutes} min, two portal kiosk sites (dublin hosts signaling, oslo points at it), ` +
      `${width}x${height} at ${FPS} fps, the recorded scene both ways; temp ${dir}`,
  );
  const started = Date.now();
  await startSites();
  const toLiveMs = await untilLive(started);
  if (stopSignal === null)
    console.log(`both sites live ${(toLiveMs / 1000).toFixed(1)} s after the kiosks were started`);
  const records = new Map<SoakSite, SiteRecord>(
    sites.map((site) => [
      site,
      { name: site.name, seconds: [], gaps: [], memory: [], health: null, attachments: site.attachments },
    ]),
  );
  const ran = { ms: 0 };
  try {
    await soak(records, ran);
  } finally {
    // Also after a break or Ctrl+C: what was measured until then.
    if (ran.ms > 0) {
      const facts = { minutesAsked: minutes, ranMs: ran.ms, toLiveMs, size: `${width}x${height} at ${FPS} fps` };
      for (const line of summaryLines([...records.values()], facts)) console.log(line);
    }
  }
  if (stopSignal !== null) code = stopSignal === 'SIGINT' ? 130 : 143;
} catch (error) {
  const e = error as Error & { broke?: boolean };
  if (stopSignal !== null) {
    // Stopped while starting: the kiosks, in the same process group, went with it.
    process.stderr.write(`soak: stopped by ${stopSignal}\n`);
    code = stopSignal === 'SIGINT' ? 130 : 143;
  } else {
    process.stderr.write(`soak: ${e.broke === true ? 'the stack broke' : 'failed'}: ${e.message}\n`);
    if (e.broke !== true && e.stack !== undefined) process.stderr.write(`${e.stack}\n`);
    for (const site of sites) {
      const tail = site.cli.stdout().split('\n').slice(-15).join('\n');
      process.stderr.write(`--- ${site.name}'s last log lines\n${tail}\n${site.cli.stderr().slice(-2000)}\n`);
    }
    code = 1;
  }
} finally {
  await cleanup();
}
process.exit(code);
