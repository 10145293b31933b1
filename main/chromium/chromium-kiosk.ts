// The supervised system Chromium: started in kiosk mode on an empty tab, then driven over its
// DevTools pipe (fds 3 and 4; no TCP port) with browser-wide commands only, which Chromium's
// DeveloperToolsAvailability policy leaves (kiosk-page.ts): the portal page, whose URL carries
// the bridge secret and so is never on a command line that `ps` shows, opens in a new tab; its
// window is made to cover the screen where no window manager does it; the watchdog brings it
// back when it exits or stops sending heartbeats. A hung page is reloaded as a new tab; if that
// fails the browser is restarted.

import { spawn as spawnChild, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { Logger } from '../../app/log/logger.js';
import type { WindowPlacement } from '../display/display-shell.js';
import { sameRect, type ScreenRect } from '../display/screen-cover.js';
import { ChildSupervisor } from '../supervisor/child-supervisor.js';
import type { DisplayWatchdog, WatchdogAction } from '../watchdog/display-watchdog.js';
import { CdpPipe } from './cdp-pipe.js';
import { KioskPage, type WindowFit } from './kiosk-page.js';

export interface ChromiumKioskOptions {
  readonly browser: string;
  /** The portal page, with the bridge secret in its fragment: sent over the pipe, never in argv. */
  readonly url: string;
  readonly profileDir: string;
  readonly extraFlags: readonly string[];
  readonly logger: Logger;
  readonly watchdog: DisplayWatchdog;
  /** Chromium refuses to run as root without --no-sandbox. */
  readonly runningAsRoot: boolean;
  readonly window?: WindowPlacement;
  /**
   * A DevTools port on 127.0.0.1 besides the pipe (0: any free one, written to the profile's
   * DevToolsActivePort), for development and benchmarks only: any local process can then drive
   * the kiosk. Absent (the default): no port.
   */
  readonly devtoolsPort?: number;
  /** Starts the browser with fds 3 and 4 as its DevTools pipe; tests pass a fake. */
  readonly spawn?: (command: string, args: readonly string[]) => ChildProcess;
  /** Timings, shortened by tests. */
  readonly timing?: Partial<ChromiumKioskTiming>;
}

export interface ChromiumKioskTiming {
  /** How long a browser that closed its DevTools pipe may live on before it is killed. */
  readonly pipeGoneGraceMs: number;
  /** How often the screen's size is looked at, to cover it again when it changed. */
  readonly screenCheckMs: number;
  /** How long a started browser has to open its first tab. */
  readonly firstTabMs: number;
}

const TICK_MS = 1_000;
const STOP_GRACE_MS = 5_000;
const DEFAULT_TIMING: ChromiumKioskTiming = { pipeGoneGraceMs: 2_000, screenCheckMs: 10_000, firstTabMs: 20_000 };
/** stdin and stdout unused, stderr drained, fds 3 and 4 the DevTools pipe (--remote-debugging-pipe). */
const BROWSER_STDIO = ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] as const;

/** The running browser, its pipe and its tab (once found). */
interface Driven {
  readonly child: ChildProcess;
  readonly pipe: CdpPipe;
  page: KioskPage | null;
  /** The screen the window was last made to cover (the kiosk without a placement). */
  screen: ScreenRect | null;
  /** Placing the window failed once already (said once). */
  placeFailed: boolean;
}

export class ChromiumKiosk {
  private readonly browser: ChildSupervisor;
  private readonly timing: ChromiumKioskTiming;
  private stopping = false;
  private ticker: ReturnType<typeof setInterval> | null = null;
  private screenChecker: ReturnType<typeof setInterval> | null = null;
  private cooling: ReturnType<typeof setTimeout> | null = null;
  private pipeGone: ReturnType<typeof setTimeout> | null = null;
  private driven: Driven | null = null;

  constructor(private readonly options: ChromiumKioskOptions) {
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    const spawn = options.spawn ?? ((command, args) => spawnChild(command, args, { stdio: [...BROWSER_STDIO] }));
    this.browser = new ChildSupervisor({
      spawn: () => {
        const child = spawn(options.browser, this.args());
        child.stderr?.resume();
        return child;
      },
      started: (child) => {
        options.logger.info('chromium-started', { pid: child.pid ?? null, browser: options.browser });
        if (options.devtoolsPort !== undefined) {
          options.logger.warn('chromium-devtools-port-open', {
            port: options.devtoolsPort,
            reason:
              'PORTAL_DEVTOOLS_PORT is set: any process on this machine can drive the kiosk; for development only',
          });
        }
        options.watchdog.displayStarted();
        void this.drive(child);
      },
      ended: (end) => {
        if (end.error !== null) {
          options.logger.error('chromium-spawn-failed', { browser: options.browser, message: end.error.message });
        } else {
          options.logger.warn('chromium-exited', { code: end.code, signal: end.signal });
        }
        const why =
          end.error !== null ? `could not start (${end.error.message})` : `exited with ${end.code ?? end.signal}`;
        void this.carryOut(options.watchdog.displayGone(why));
        return null;
      },
      logger: options.logger,
    });
  }

  start(): void {
    if (this.options.runningAsRoot) {
      this.options.logger.warn('chromium-no-sandbox', {
        reason: 'running as root: Chromium needs --no-sandbox; run Portal as a normal user to keep the sandbox',
      });
    }
    this.browser.start();
    this.ticker = setInterval(() => void this.carryOut(this.options.watchdog.tick()), TICK_MS);
    if (this.options.window === undefined) {
      this.screenChecker = setInterval(() => void this.coverScreenAgain(), this.timing.screenCheckMs);
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.ticker) clearInterval(this.ticker);
    if (this.screenChecker) clearInterval(this.screenChecker);
    if (this.cooling) clearTimeout(this.cooling);
    if (this.pipeGone) clearTimeout(this.pipeGone);
    await this.browser.stop(STOP_GRACE_MS);
    this.driven?.pipe.dispose();
    this.driven = null;
  }

  private args(): string[] {
    const port = this.options.devtoolsPort;
    return [
      `--user-data-dir=${this.options.profileDir}`,
      ...this.placement(),
      '--no-first-run',
      '--noerrdialogs',
      '--disable-session-crashed-bubble',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-features=Translate',
      '--password-store=basic',
      // Grant the camera and microphone without a prompt nobody is there to answer.
      '--use-fake-ui-for-media-stream',
      '--autoplay-policy=no-user-gesture-required',
      // DevTools over fds 3 and 4 only: no process but this host can drive the browser.
      '--remote-debugging-pipe',
      ...(port === undefined ? [] : ['--remote-debugging-address=127.0.0.1', `--remote-debugging-port=${port}`]),
      ...(this.options.runningAsRoot ? ['--no-sandbox'] : []),
      ...this.options.extraFlags,
      // An empty tab: the portal page's URL holds the bridge secret, so it goes over the pipe.
      ...(this.options.window ? ['--app=about:blank'] : ['about:blank']),
    ];
  }

  private placement(): string[] {
    const window = this.options.window;
    if (window === undefined) return ['--kiosk'];
    return [`--window-position=${window.x},${window.y}`, `--window-size=${window.width},${window.height}`];
  }

  /**
   * Takes a started browser's pipe, finds its tab, makes the window cover the screen (the kiosk)
   * and opens the portal page in its place. A browser whose pipe closes while it lives on can no
   * longer be reloaded or placed: it is killed, and its end goes to the watchdog like any exit.
   */
  private async drive(child: ChildProcess): Promise<void> {
    const { logger } = this.options;
    const [toBrowser, fromBrowser] = [child.stdio?.[3], child.stdio?.[4]];
    if (!isWritable(toBrowser) || !isReadable(fromBrowser)) {
      logger.error('chromium-no-pipe', { reason: 'the browser was started without its DevTools pipe (fds 3 and 4)' });
      return;
    }
    this.driven?.pipe.dispose();
    const pipe = new CdpPipe(toBrowser, fromBrowser);
    const driven: Driven = { child, pipe, page: null, screen: null, placeFailed: false };
    this.driven = driven;
    void pipe.closed.then((reason) => {
      if (this.driven === driven) this.driven = null;
      if (this.stopping || !isRunning(child)) return;
      this.pipeGone = setTimeout(() => {
        if (this.stopping || !isRunning(child)) return;
        logger.warn('chromium-pipe-closed', { reason, next: 'kill the browser; the watchdog brings it back' });
        child.kill('SIGKILL');
      }, this.timing.pipeGoneGraceMs);
    });
    try {
      const page = await KioskPage.find(pipe, { timeoutMs: this.timing.firstTabMs });
      driven.page = page;
      // A window that could not be placed still shows the page; the screen check tries again.
      if (this.options.window === undefined) await this.coverScreen(driven, page).catch(() => undefined);
      await page.open(this.options.url);
      // Never the URL: its fragment is the bridge secret.
      logger.info('chromium-page-opened', {});
    } catch (error) {
      if (this.driven !== driven || this.stopping) return;
      // The watchdog sees no heartbeat and reloads (a new tab again), then restarts the browser.
      logger.error('chromium-page-open-failed', { message: (error as Error).message });
    }
  }

  private async coverScreen(driven: Driven, page: KioskPage, screen?: ScreenRect): Promise<void> {
    let fit: WindowFit;
    try {
      fit = await page.coverScreen(screen);
    } catch (error) {
      // Said once a browser: a session where it cannot be done (no X11) would say it every check.
      const level = driven.placeFailed ? 'debug' : 'warn';
      driven.placeFailed = true;
      this.options.logger[level]('chromium-window-place-failed', { message: (error as Error).message });
      throw error;
    }
    driven.screen = fit.screen;
    if (fit.action === 'covered') {
      this.options.logger.info('chromium-window-covers-screen', { ...fit.screen });
    } else {
      this.options.logger.info('chromium-window-placed', {
        screen: `${fit.screen.width}x${fit.screen.height}+${fit.screen.left}+${fit.screen.top}`,
        from: `${fit.from.width}x${fit.from.height}+${fit.from.left}+${fit.from.top}`,
        to: `${fit.to.width}x${fit.to.height}+${fit.to.left}+${fit.to.top}`,
      });
    }
  }

  /**
   * A screen whose size changed (another monitor, a new mode) is covered again, as is one that
   * could not be covered yet. Only that: a window manager that keeps the window as it wants is
   * not fought every few seconds.
   */
  private async coverScreenAgain(): Promise<void> {
    const driven = this.driven;
    if (this.stopping || driven?.page == null) return;
    try {
      const screen = await driven.page.screen();
      if (driven.screen !== null && sameRect(screen, driven.screen)) return;
      await this.coverScreen(driven, driven.page, screen);
    } catch (error) {
      // A hung page does not answer; the watchdog deals with that.
      this.options.logger.debug('chromium-screen-check-failed', { message: (error as Error).message });
    }
  }

  private async carryOut(action: WatchdogAction): Promise<void> {
    if (this.stopping) return;
    switch (action.type) {
      case 'none':
        return;
      case 'reload':
        this.options.logger[action.quiet ? 'info' : 'warn']('renderer-reload', {
          reason: action.reason,
          quiet: action.quiet,
        });
        if (await this.reloadPage()) {
          this.options.watchdog.reloaded(action);
          return;
        }
        this.options.logger.warn('renderer-reload-failed', { next: 'restart the browser' });
        await this.carryOut(this.options.watchdog.displayGone('reload failed'));
        return;
      case 'restart-display':
        this.options.logger.warn('chromium-restart', { reason: action.reason });
        // A browser that is there is killed and started again; one that is gone (or never
        // started) is started after a breath.
        if (this.browser.current !== null) this.browser.replace();
        else this.browser.startIn(250);
        return;
      case 'wait':
        this.options.logger.warn('chromium-cooling-down', {
          reason: action.reason,
          seconds: Math.round((action.untilMs - Date.now()) / 1000),
        });
        // Through the watchdog again when it is over, so its clock starts afresh.
        if (this.cooling) clearTimeout(this.cooling);
        this.cooling = setTimeout(
          () => void this.carryOut(this.options.watchdog.displayGone('cool-down over')),
          Math.max(0, action.untilMs - Date.now()),
        );
        return;
    }
  }

  /**
   * Reloads the page as a new tab, with a fresh renderer, closing the old one; false when that
   * could not be done (the browser is then restarted).
   */
  private async reloadPage(): Promise<boolean> {
    const driven = this.driven;
    const page = driven?.page;
    if (driven == null || page == null) {
      this.options.logger.warn('renderer-reload-error', { message: "no DevTools pipe to the browser's tab" });
      return false;
    }
    try {
      await page.open(reloadUrl(this.options.url));
    } catch (error) {
      this.options.logger.warn('renderer-reload-error', { message: (error as Error).message });
      return false;
    }
    // The new tab is in the last active window: another one if someone opened it (Ctrl+N).
    if (this.options.window === undefined) await this.coverScreen(driven, page).catch(() => undefined);
    return true;
  }
}

/**
 * The kiosk URL with a fresh `reload` query, keeping the fragment (the bridge secret): a
 * reloaded page says so in the browser's list of tabs.
 */
export function reloadUrl(url: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('reload', String(Date.now()));
  return parsed.toString();
}

/** Started, and not yet exited. */
function isRunning(child: ChildProcess): boolean {
  return child.pid !== undefined && child.exitCode === null && child.signalCode === null;
}

function isWritable(stream: unknown): stream is Writable {
  return typeof stream === 'object' && stream !== null && typeof (stream as Writable).write === 'function';
}

function isReadable(stream: unknown): stream is Readable {
  return typeof stream === 'object' && stream !== null && typeof (stream as Readable).on === 'function';
}
