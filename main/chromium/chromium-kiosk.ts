// The supervised system Chromium: started in kiosk mode on the local renderer, brought back by
// the watchdog when it exits or stops sending heartbeats. A hung page is reloaded through the
// DevTools protocol on a loopback port; if that fails the browser is restarted.

import { spawn as spawnChild, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import type { Logger } from '../../app/log/logger.js';
import type { WindowPlacement } from '../display/display-shell.js';
import { ChildSupervisor } from '../supervisor/child-supervisor.js';
import type { DisplayWatchdog, WatchdogAction } from '../watchdog/display-watchdog.js';

export interface ChromiumKioskOptions {
  readonly browser: string;
  readonly url: string;
  readonly profileDir: string;
  readonly extraFlags: readonly string[];
  readonly logger: Logger;
  readonly watchdog: DisplayWatchdog;
  /** Chromium refuses to run as root without --no-sandbox. */
  readonly runningAsRoot: boolean;
  readonly window?: WindowPlacement;
  /** Starts the browser; tests pass a fake. */
  readonly spawn?: (command: string, args: readonly string[]) => ChildProcess;
}

const TICK_MS = 1_000;
const STOP_GRACE_MS = 5_000;

export class ChromiumKiosk {
  private readonly browser: ChildSupervisor;
  private stopping = false;
  private ticker: ReturnType<typeof setInterval> | null = null;
  private cooling: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly options: ChromiumKioskOptions) {
    const spawn =
      options.spawn ?? ((command, args) => spawnChild(command, args, { stdio: ['ignore', 'ignore', 'pipe'] }));
    this.browser = new ChildSupervisor({
      spawn: () => {
        const child = spawn(options.browser, this.args());
        child.stderr?.resume();
        return child;
      },
      started: (child) => {
        options.logger.info('chromium-started', { pid: child.pid ?? null, browser: options.browser });
        options.watchdog.displayStarted();
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
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.ticker) clearInterval(this.ticker);
    if (this.cooling) clearTimeout(this.cooling);
    await this.browser.stop(STOP_GRACE_MS);
  }

  private args(): string[] {
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
      '--remote-debugging-address=127.0.0.1',
      '--remote-debugging-port=0',
      ...(this.options.runningAsRoot ? ['--no-sandbox'] : []),
      ...this.options.extraFlags,
      ...(this.options.window ? [`--app=${this.options.url}`] : [this.options.url]),
    ];
  }

  private placement(): string[] {
    const window = this.options.window;
    if (window === undefined) return ['--kiosk'];
    return [`--window-position=${window.x},${window.y}`, `--window-size=${window.width},${window.height}`];
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
   * Reloads the page through the DevTools protocol; false when that could not be done. A page
   * stuck in a script never lets a navigation start, so its renderer is crashed first
   * (Page.crash runs on the renderer's IO thread, which still answers) and the page loaded again
   * into a fresh one.
   */
  private async reloadPage(): Promise<boolean> {
    try {
      const [port] = (await readFile(join(this.options.profileDir, 'DevToolsActivePort'), 'utf8')).split('\n');
      const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{
        type: string;
        url: string;
        webSocketDebuggerUrl?: string;
      }>;
      const target = targets.find((t) => t.type === 'page' && t.webSocketDebuggerUrl);
      if (!target?.webSocketDebuggerUrl) return false;
      const socket = new WebSocket(target.webSocketDebuggerUrl);
      try {
        await new Promise<void>((resolve, reject) => {
          socket.once('open', () => resolve());
          socket.once('error', reject);
        });
        socket.send(JSON.stringify({ id: 1, method: 'Page.crash' }));
        await new Promise((resolve) => setTimeout(resolve, 500));
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('no answer to Page.navigate')), 5_000);
          socket.on('message', (data) => {
            if ((JSON.parse(String(data)) as { id?: number }).id === 2) {
              clearTimeout(timer);
              resolve();
            }
          });
          // A crashed page ignores Page.reload, and its own URL differs from ours only by the
          // fragment (a same-document navigation); a fresh query makes it a real page load.
          socket.send(JSON.stringify({ id: 2, method: 'Page.navigate', params: { url: reloadUrl(this.options.url) } }));
        });
        return true;
      } finally {
        socket.terminate();
      }
    } catch (error) {
      this.options.logger.warn('renderer-reload-error', { message: (error as Error).message });
      return false;
    }
  }
}

/** The kiosk URL with a fresh `reload` query, keeping the fragment (the bridge secret). */
export function reloadUrl(url: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('reload', String(Date.now()));
  return parsed.toString();
}
