// The Electron kiosk window and what keeps it shown: its options (full screen on the screen's
// bounds, frameless, black, sandboxed, no devtools when packaged), the shortcuts it swallows, and
// the display that carries out the watchdog's actions on it and covers the screen again when it
// changes. Windows and the screen come in as fakes in tests, so every policy here is tested.

import type { BrowserWindow, BrowserWindowConstructorOptions, Input } from 'electron';
import type { Logger } from '../../app/log/logger.js';
import type { WindowPlacement } from '../display/display-shell.js';
import { coveringBounds, coversScreen, type ScreenRect } from '../display/screen-cover.js';
import type { DisplayWatchdog, WatchdogAction } from '../watchdog/display-watchdog.js';
import { applyNavigationPolicy } from './web-policies.js';

export interface KioskWindowSettings {
  /** The built sandboxed preload (dist/preload/preload.cjs). */
  readonly preload: string;
  /** Packaged builds have no devtools at all. */
  readonly packaged: boolean;
  readonly placement?: WindowPlacement;
  /**
   * The screen the kiosk covers (electron.screen's primary display bounds). A window manager
   * makes the kiosk window full screen; with none (xinit, a bare X server) the window keeps the
   * bounds it was made with, so it is made with the screen's (screen-cover.ts).
   */
  readonly screen?: ScreenRect;
}

export function kioskWindowOptions(settings: KioskWindowSettings): BrowserWindowConstructorOptions {
  const place = settings.placement;
  return {
    ...(place
      ? { x: place.x, y: place.y, width: place.width, height: place.height }
      : { ...(settings.screen ? electronBounds(coveringBounds(settings.screen)) : {}), fullscreen: true, kiosk: true }),
    frame: false,
    backgroundColor: '#000000',
    autoHideMenuBar: true,
    show: true,
    webPreferences: {
      preload: settings.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      devTools: !settings.packaged,
      spellcheck: false,
      // A kiosk is never "in the background"; its timers and video must not be throttled.
      backgroundThrottling: false,
      autoplayPolicy: 'no-user-gesture-required',
    },
  };
}

type KeyInput = Pick<Input, 'type' | 'key' | 'control' | 'meta' | 'alt' | 'shift'>;

const ALWAYS_BLOCKED = new Set(['f5', 'f11', 'f12', 'browserback', 'browserforward', 'browserrefresh']);
/** With Ctrl (Cmd): reload, close, quit, print, zoom. */
const BLOCKED_WITH_CTRL = new Set(['r', 'w', 'q', 'p', '+', '=', '-', '_', '0']);
/** With Ctrl+Shift: devtools. Ctrl+Shift+A and Ctrl+Shift+S stay the page's (admin, stats). */
const BLOCKED_WITH_CTRL_SHIFT = new Set(['i', 'j', 'c']);

/** Keys a person at the kiosk must not use to reload, zoom, close or inspect the window. */
export function isBlockedShortcut(input: KeyInput): boolean {
  if (input.type !== 'keyDown' && input.type !== 'rawKeyDown') return false;
  const key = input.key.toLowerCase();
  if (ALWAYS_BLOCKED.has(key)) return true;
  if (input.alt && (key === 'arrowleft' || key === 'arrowright' || key === 'f4')) return true;
  const ctrl = input.control || input.meta;
  if (ctrl && BLOCKED_WITH_CTRL.has(key)) return true;
  return ctrl && input.shift && BLOCKED_WITH_CTRL_SHIFT.has(key);
}

/** Electron's rectangle ({ x, y, width, height }) for a screen rectangle. */
export function electronBounds(rect: ScreenRect): { x: number; y: number; width: number; height: number } {
  return { x: rect.left, y: rect.top, width: rect.width, height: rect.height };
}

/** A screen rectangle for Electron's. */
export function screenRect(bounds: { x: number; y: number; width: number; height: number }): ScreenRect {
  return { left: bounds.x, top: bounds.y, width: bounds.width, height: bounds.height };
}

/** The parts of a BrowserWindow the display uses (fakes in tests provide just these). */
export type KioskWindow = Pick<
  BrowserWindow,
  'loadURL' | 'on' | 'destroy' | 'isDestroyed' | 'getBounds' | 'setBounds'
> & {
  readonly webContents: Pick<
    BrowserWindow['webContents'],
    'on' | 'setWindowOpenHandler' | 'setVisualZoomLevelLimits' | 'forcefullyCrashRenderer' | 'reload' | 'send'
  >;
};

/** The screen a full-screen kiosk covers (electron.screen's primary display), and when it changes. */
export interface KioskScreen {
  bounds(): ScreenRect;
  /** Calls `listener` when a display is added, removed or changes; returns what stops it. */
  onChange(listener: () => void): () => void;
}

export interface ElectronDisplayOptions {
  readonly createWindow: () => KioskWindow;
  readonly url: string;
  readonly watchdog: DisplayWatchdog;
  readonly logger: Logger;
  /** The full-screen kiosk's screen; absent for a placed window (which keeps its place). */
  readonly screen?: KioskScreen;
}

const TICK_MS = 1_000;

/**
 * One kiosk window kept on screen: a renderer that is gone restarts the window, one that hangs
 * is crashed and reloaded into a fresh process (a hung page never finishes a plain reload),
 * then the window is restarted if that did not help, and closing it is refused.
 */
export class ElectronDisplay {
  private window: KioskWindow | null = null;
  private stopping = false;
  /** The renderer we crashed on purpose to reload it: its render-process-gone is expected. */
  private crashing = false;
  private ticker: ReturnType<typeof setInterval> | null = null;
  private pending: ReturnType<typeof setTimeout> | null = null;
  private stopScreen: (() => void) | null = null;

  constructor(private readonly options: ElectronDisplayOptions) {}

  start(): void {
    this.open();
    this.ticker = setInterval(() => this.carryOut(this.options.watchdog.tick()), TICK_MS);
    this.stopScreen = this.options.screen?.onChange(() => this.coverScreen()) ?? null;
  }

  /** Tells the page something on an IPC channel (the bridge's events); dropped while no window is up. */
  send(channel: string, payload: unknown): void {
    const window = this.window;
    if (window !== null && !window.isDestroyed()) window.webContents.send(channel, payload);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.ticker) clearInterval(this.ticker);
    if (this.pending) clearTimeout(this.pending);
    this.stopScreen?.();
    this.stopScreen = null;
    this.close();
  }

  /**
   * A screen that changed (another monitor, a new mode) is covered again by a window that no
   * longer covers it: a window manager would make a full-screen window fit, a bare X server does not.
   */
  private coverScreen(): void {
    const window = this.window;
    const screen = this.options.screen;
    if (this.stopping || window === null || window.isDestroyed() || screen === undefined) return;
    const on = screen.bounds();
    const from = screenRect(window.getBounds());
    if (coversScreen(from, on)) return;
    const to = coveringBounds(on);
    this.options.logger.info('window-placed', {
      screen: `${on.width}x${on.height}+${on.left}+${on.top}`,
      from: `${from.width}x${from.height}+${from.left}+${from.top}`,
      to: `${to.width}x${to.height}+${to.left}+${to.top}`,
    });
    window.setBounds(electronBounds(to));
  }

  private open(): void {
    if (this.stopping) return;
    const { logger } = this.options;
    const window = this.options.createWindow();
    this.window = window;
    this.options.watchdog.displayStarted();
    const contents = window.webContents;
    applyNavigationPolicy(contents, logger);
    contents.setVisualZoomLevelLimits(1, 1).catch(() => undefined);
    contents.on('before-input-event', (event, input) => {
      if (isBlockedShortcut(input)) event.preventDefault();
    });
    contents.on('render-process-gone', (_event, details) => {
      if (this.window !== window) return;
      if (this.crashing) {
        this.crashing = false;
        return;
      }
      logger.warn('renderer-gone', { reason: details.reason, exitCode: details.exitCode });
      this.carryOut(this.options.watchdog.displayGone(`renderer ${details.reason}`));
    });
    contents.on('unresponsive', () => {
      if (this.window !== window) return;
      logger.warn('renderer-unresponsive', {});
      this.carryOut(this.options.watchdog.hung('renderer unresponsive'));
    });
    window.on('close', (event) => {
      if (!this.stopping) event.preventDefault();
    });
    logger.info('window-opened', { url: this.options.url });
    window
      .loadURL(this.options.url)
      .catch((error: Error) => logger.error('window-load-failed', { message: error.message }));
  }

  private close(): void {
    const window = this.window;
    this.window = null;
    if (window !== null && !window.isDestroyed()) window.destroy();
  }

  private carryOut(action: WatchdogAction): void {
    if (this.stopping) return;
    const { logger } = this.options;
    switch (action.type) {
      case 'none':
        return;
      case 'reload': {
        logger[action.quiet ? 'info' : 'warn']('renderer-reload', { reason: action.reason, quiet: action.quiet });
        const contents = this.window?.webContents;
        if (contents === undefined) return;
        // Reload into a new renderer process: the old one may be stuck in a script.
        this.crashing = true;
        contents.forcefullyCrashRenderer();
        contents.reload();
        this.options.watchdog.reloaded(action);
        return;
      }
      case 'restart-display':
        logger.warn('window-restart', { reason: action.reason });
        this.crashing = false;
        this.close();
        this.open();
        return;
      case 'wait':
        logger.warn('window-cooling-down', {
          reason: action.reason,
          seconds: Math.round((action.untilMs - Date.now()) / 1000),
        });
        if (this.pending) clearTimeout(this.pending);
        // Through the watchdog again, so the restart is counted and its clock starts afresh.
        this.pending = setTimeout(
          () => this.carryOut(this.options.watchdog.displayGone('cool-down over')),
          Math.max(0, action.untilMs - Date.now()),
        );
        return;
    }
  }
}
