// One site of the soak, as a real site runs: its own X display, its own config file and a real
// `portal kiosk --config FILE` (the built CLI) that supervises its own system Chromium. The soak
// attaches to that Chromium over a DevTools port that only a benchmark asks for
// (PORTAL_DEVTOOLS_PORT=0, named in the profile's DevToolsActivePort; in production the kiosk
// drives its browser over a pipe and opens no port), gives the page the recorded-scene camera
// (test/support/scene-camera.ts) and reloads it, then reads what it shows (window.__g2g, the
// page state), the memory of the browser's processes and of the host, and the host's /healthz.
// When the kiosk restarts its browser (a repair), the soak attaches to the new one and gives it
// the camera again.

import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { configText, type PortalConfig } from '../../app/config/portal-config.js';
import { runCli, type RunningCli } from '../support/built-cli.js';
import { CHROMIUM } from '../support/chromium.js';
import { useSceneCamera, type SceneSize } from '../support/scene-camera.js';
import { startXvfb, type Xvfb } from '../support/xvfb.js';

/** What the page showed since the last tick. */
export interface Tick {
  /** The page state, null when the page could not be read. */
  readonly state: string | null;
  readonly frames: number;
  readonly samples: readonly number[];
  readonly longestGapMs: number;
  /** Gaps over 1 s, with those across a reload or a browser restart, which no page sees whole. */
  readonly gapsOver1sMs: readonly number[];
}

export interface Memory {
  /** Sum of RSS over every process of the kiosk's Chromium. */
  readonly browserRss: number;
  /**
   * Sum of PSS over the same: RSS counts the pages its processes share once per process, PSS
   * shares them out, so it is what the browser costs the machine.
   */
  readonly browserPss: number;
  /** The kiosk page's V8 heap in use (CDP Runtime.getHeapUsage); null when it could not be read. */
  readonly browserHeap: number | null;
  /** The `portal kiosk` node process. */
  readonly hostRss: number;
  /** nodejs_heap_size_used_bytes from the host's /metrics. */
  readonly hostHeap: number | null;
  /** % of a core since the previous sample (null for the first): the browser's processes, the host. */
  readonly browserCpu: number | null;
  readonly hostCpu: number | null;
}

/** /healthz's kiosks[0]: `repairs` where the host reports them, else its display restarts. */
export interface Health {
  readonly state: string | null;
  readonly repairs: string;
  readonly repairCount: number;
}

export interface SoakSiteOptions {
  readonly name: string;
  readonly dir: string;
  readonly config: PortalConfig;
  readonly size: SceneSize;
}

const SCRIPT_TICK = `(() => ({
  state: document.documentElement.dataset.portalState ?? null,
  g2g: window.__g2g ? window.__g2g.take() : null,
}))()`;

export class SoakSite {
  private browser: Browser | null = null;
  private page: Page | null = null;
  private cdp: CDPSession | null = null;
  private attaching: Promise<void> | null = null;
  private lastAttachTry = 0;
  private failures = 0;
  /** The last frame shown, and on which page load (performance.timeOrigin). */
  private lastFrame: { at: number; page: number } | null = null;
  private lastTicks: { at: number; byPid: Map<number, number>; host: number } | null = null;
  /** Times the soak gave a browser the camera: 1, plus one per browser the kiosk restarted. */
  attachments = 0;
  readonly profileDir: string;
  readonly port: number;

  private constructor(
    readonly name: string,
    readonly xvfb: Xvfb,
    readonly cli: RunningCli,
    private readonly options: SoakSiteOptions,
  ) {
    this.profileDir = join(options.dir, 'chromium-profile');
    this.port = options.config.signaling.port;
  }

  /** Its display, its config file, its kiosk; resolves once the host serves its local port. */
  static async start(options: SoakSiteOptions, track: (site: SoakSite) => void): Promise<SoakSite> {
    mkdirSync(options.dir, { recursive: true });
    const configPath = join(options.dir, 'config.json');
    writeFileSync(configPath, configText(options.config));
    const xvfb = await startXvfb(options.size);
    const cli = runCli(['kiosk', '--config', configPath, '--browser', CHROMIUM], {
      DISPLAY: xvfb.display,
      // The kiosk adds --use-fake-ui-for-media-stream (no prompt) itself. A fake device lets the
      // first load find a camera; the soak's scene replaces it.
      PORTAL_CHROMIUM_FLAGS: '--use-fake-device-for-media-stream --disable-gpu --disable-quic',
      // The soak's way in to the page (the kiosk warns that it is open); off in production.
      PORTAL_DEVTOOLS_PORT: '0',
    });
    const site = new SoakSite(options.name, xvfb, cli, options);
    track(site);
    await cli.waitForLine(/local port (\d+)$/, 30_000);
    return site;
  }

  /** The kiosk host or its display server exited. */
  get died(): string | null {
    if (this.cli.child.exitCode !== null || this.cli.child.signalCode !== null)
      return `portal kiosk exited with ${this.cli.child.exitCode ?? this.cli.child.signalCode}`;
    if (!this.xvfb.running()) return `Xvfb ${this.xvfb.display} exited`;
    return null;
  }

  /**
   * Attaches to the kiosk's browser, gives its page the scene camera and reloads it. Tried again
   * at most every 2 s by `tick` while it has not worked (a browser restarting).
   */
  attach(): Promise<void> {
    return (this.attaching ??= this.doAttach().finally(() => (this.attaching = null)));
  }

  private async doAttach(): Promise<void> {
    this.lastAttachTry = Date.now();
    await this.detach();
    const [devtoolsPort] = readFileSync(join(this.profileDir, 'DevToolsActivePort'), 'utf8').split('\n');
    const browser = await chromium.connectOverCDP(`http://127.0.0.1:${devtoolsPort}`, { timeout: 10_000 });
    try {
      const context = browser.contexts()[0];
      const page = context?.pages().find((p) => p.url().includes('#bridge='));
      if (context === undefined || page === undefined) throw new Error('the kiosk page is not open yet');
      await useSceneCamera(context, this.options.size);
      await page.reload({ waitUntil: 'domcontentloaded', timeout: 20_000 });
      this.cdp = await context.newCDPSession(page);
      this.browser = browser;
      this.page = page;
      this.failures = 0;
      this.attachments++;
    } catch (error) {
      await browser.close().catch(() => undefined);
      throw error;
    }
  }

  private async detach(): Promise<void> {
    const browser = this.browser;
    this.browser = null;
    this.page = null;
    this.cdp = null;
    // Over CDP, close() only disconnects: the kiosk's browser runs on.
    await browser?.close().catch(() => undefined);
  }

  /**
   * What the page showed since the last tick. A page that cannot be read (the kiosk reloaded or
   * crashed it) is looked up again in the same browser, whose context keeps the camera; after a
   * few failures in a row, or when the browser is gone (restarted), the soak attaches afresh.
   */
  async tick(): Promise<Tick> {
    const none: Tick = { state: null, frames: 0, samples: [], longestGapMs: 0, gapsOver1sMs: [] };
    if (this.browser === null || !this.browser.isConnected()) {
      if (this.attaching === null && Date.now() - this.lastAttachTry > 2_000) this.attach().catch(() => undefined);
      return none;
    }
    if (this.page === null) {
      const context = this.browser.contexts()[0];
      this.page = context?.pages().find((p) => p.url().includes('#bridge=')) ?? null;
      if (this.page === null) return none;
      this.cdp = await context!.newCDPSession(this.page).catch(() => null);
    }
    try {
      const read = (await this.page.evaluate(SCRIPT_TICK)) as {
        state: string | null;
        g2g: {
          samples: number[];
          frames: number;
          longestGapMs: number;
          gapsOver1sMs: number[];
          shown: { first: number; last: number } | null;
          page: number;
        } | null;
      };
      this.failures = 0;
      if (read.g2g === null) return { ...none, state: read.state };
      const { samples, frames, shown, page } = read.g2g;
      let { longestGapMs } = read.g2g;
      const gaps = [...read.g2g.gapsOver1sMs];
      if (shown !== null) {
        // The first frame on a new page load: the time since the old one's last is a gap too.
        if (this.lastFrame !== null && this.lastFrame.page !== page) {
          const across = shown.first - this.lastFrame.at;
          longestGapMs = Math.max(longestGapMs, across);
          if (across > 1000) gaps.unshift(across);
        }
        this.lastFrame = { at: shown.last, page };
      }
      return { state: read.state, samples, frames, longestGapMs, gapsOver1sMs: gaps };
    } catch {
      this.page = null;
      if (++this.failures >= 5) await this.detach();
      return none;
    }
  }

  async memory(): Promise<Memory> {
    const browserPids = this.browserPids();
    let browserHeap: number | null = null;
    try {
      if (this.cdp !== null)
        browserHeap = ((await this.cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize;
    } catch {
      this.cdp = null;
    }
    const hostPid = this.cli.child.pid!;
    // CPU per process since the last sample: one born since counts whole, one gone since is lost
    // (a restarted browser's last seconds), so a sum of totals would not do.
    const at = Date.now();
    const byPid = new Map(browserPids.map((pid) => [pid, ticksOf(pid)]));
    const host = ticksOf(hostPid);
    const last = this.lastTicks;
    this.lastTicks = { at, byPid, host };
    const percent = (ticks: number) => (last === null ? null : Math.max(0, ticks / ((at - last.at) / 1000)));
    let browserTicks = 0;
    for (const [pid, ticks] of byPid) browserTicks += ticks - (last?.byPid.get(pid) ?? 0);
    return {
      browserRss: browserPids.reduce((sum, pid) => sum + rssOf(pid), 0),
      browserPss: browserPids.reduce((sum, pid) => sum + pssOf(pid), 0),
      browserHeap,
      hostRss: rssOf(hostPid),
      hostHeap: await this.metric('nodejs_heap_size_used_bytes'),
      browserCpu: percent(browserTicks),
      hostCpu: percent(host - (last?.host ?? 0)),
    };
  }

  async health(): Promise<Health | null> {
    try {
      const body = (await (await fetch(`http://127.0.0.1:${this.port}/healthz`)).json()) as {
        kiosks?: Array<{ state?: string; restarts?: number; repairs?: Record<string, number> }>;
      };
      const kiosk = body.kiosks?.[0];
      if (kiosk === undefined) return null;
      // The host's repair counts by step, where this Portal reports them; before that, restarts.
      if (kiosk.repairs !== undefined && typeof kiosk.repairs === 'object') {
        const steps = Object.entries(kiosk.repairs);
        return {
          state: kiosk.state ?? null,
          repairs: steps.map(([step, count]) => `${step} ${count}`).join(', '),
          repairCount: steps.reduce((sum, [, count]) => sum + (Number(count) || 0), 0),
        };
      }
      return {
        state: kiosk.state ?? null,
        repairs: `restarts ${kiosk.restarts ?? 0}`,
        repairCount: kiosk.restarts ?? 0,
      };
    } catch {
      return null;
    }
  }

  private async metric(name: string): Promise<number | null> {
    try {
      const text = await (await fetch(`http://127.0.0.1:${this.port}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
      return line === undefined ? null : Number(line.split(' ').at(-1));
    } catch {
      return null;
    }
  }

  /**
   * Every process of this kiosk's browser: below the kiosk host in the process tree, or (a
   * helper Chromium re-parents, such as its crash handler) naming this site's profile.
   */
  browserPids(): number[] {
    const host = this.cli.child.pid!;
    const parent = new Map<number, number>();
    const ours = new Set<number>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const pid = Number(entry);
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        parent.set(pid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
        if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`--user-data-dir=${this.profileDir}`)) ours.add(pid);
      } catch {
        // gone meanwhile
      }
    }
    for (const pid of parent.keys()) {
      for (let up = parent.get(pid); up !== undefined && up > 1; up = parent.get(up)) {
        if (up === host) {
          ours.add(pid);
          break;
        }
      }
    }
    ours.delete(host);
    return [...ours];
  }

  /** Stops the kiosk (SIGTERM, which stops its browser), then anything of it left, then the display. */
  async stop(): Promise<void> {
    await this.detach();
    const leftovers = this.browserPids();
    if (this.cli.child.exitCode === null && this.cli.child.signalCode === null) {
      this.cli.child.kill('SIGTERM');
      const timer = setTimeout(() => this.cli.child.kill('SIGKILL'), 10_000);
      await this.cli.exited;
      clearTimeout(timer);
    }
    for (const pid of new Set([...leftovers, ...this.browserPids()])) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await this.xvfb.stop();
  }
}

function rssOf(pid: number): number {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB$/m);
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function pssOf(pid: number): number {
  try {
    const match = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8').match(/^Pss:\s+(\d+) kB$/m);
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function ticksOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}
