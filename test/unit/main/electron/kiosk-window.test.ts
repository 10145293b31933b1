import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../../app/log/logger.js';
import {
  ElectronDisplay,
  isBlockedShortcut,
  kioskWindowOptions,
  type KioskWindow,
} from '../../../../main/electron/kiosk-window.js';
import { DisplayWatchdog } from '../../../../main/watchdog/display-watchdog.js';

/** A BrowserWindow stand-in: its events, and a record of what was done to it. */
class FakeWindow extends EventEmitter {
  readonly contents = Object.assign(new EventEmitter(), {
    crashed: 0,
    reloads: 0,
    openHandler: null as ((details: { url: string }) => { action: string }) | null,
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      this.openHandler = handler;
    },
    setVisualZoomLevelLimits: () => Promise.resolve(),
    forcefullyCrashRenderer() {
      this.crashed += 1;
    },
    reload() {
      this.reloads += 1;
    },
  });
  destroyed = false;
  loaded: string | null = null;
  /** Where the window is (Electron's rectangle), and what setBounds was asked. */
  bounds = { x: 0, y: 0, width: 1280, height: 721 };
  readonly boundsSet: Array<Partial<{ x: number; y: number; width: number; height: number }>> = [];
  getBounds() {
    return { ...this.bounds };
  }
  setBounds(bounds: Partial<{ x: number; y: number; width: number; height: number }>) {
    this.boundsSet.push(bounds);
    Object.assign(this.bounds, bounds);
  }

  get webContents() {
    return this.contents;
  }
  loadURL(url: string) {
    this.loaded = url;
    return Promise.resolve();
  }
  destroy() {
    this.destroyed = true;
  }
  isDestroyed() {
    return this.destroyed;
  }
  /** Emits a cancellable event; true when a listener prevented it. */
  cancellable(target: EventEmitter, name: string, ...rest: unknown[]): boolean {
    let prevented = false;
    target.emit(name, { preventDefault: () => (prevented = true) }, ...rest);
    return prevented;
  }
}

const options = { heartbeatTimeoutMs: 10_000, maxRestarts: 3, windowMs: 60_000, coolDownMs: 30_000 };

/** electron.screen's primary display, whose bounds the test changes and announces. */
class FakeScreen {
  rect = { left: 0, top: 0, width: 1280, height: 720 };
  readonly listeners = new Set<() => void>();
  bounds() {
    return { ...this.rect };
  }
  onChange(listener: () => void) {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
  change(rect: { left: number; top: number; width: number; height: number }) {
    this.rect = rect;
    for (const listener of this.listeners) listener();
  }
}

function setup(screen?: FakeScreen) {
  const windows: FakeWindow[] = [];
  const watchdog = new DisplayWatchdog(() => Date.now(), options);
  const display = new ElectronDisplay({
    createWindow: () => {
      const window = new FakeWindow();
      windows.push(window);
      return window as unknown as KioskWindow;
    },
    url: 'app://portal/',
    watchdog,
    logger: silentLogger,
    ...(screen ? { screen } : {}),
  });
  display.start();
  const current = () => windows[windows.length - 1]!;
  return { display, windows, watchdog, current };
}

const key = (key: string, mods: Partial<Record<'control' | 'meta' | 'alt' | 'shift', boolean>> = {}) => ({
  type: 'keyDown' as const,
  key,
  control: false,
  meta: false,
  alt: false,
  shift: false,
  ...mods,
});

describe('the kiosk window options', () => {
  it('is a sandboxed, isolated, frameless black full-screen kiosk', () => {
    const o = kioskWindowOptions({ preload: '/p/preload.cjs', packaged: true });
    expect(o).toMatchObject({ fullscreen: true, kiosk: true, frame: false, backgroundColor: '#000000' });
    expect(o.webPreferences).toMatchObject({
      preload: '/p/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      devTools: false,
    });
  });

  it("is made on the screen's bounds, so that it covers the screen where no window manager makes it full screen", () => {
    const o = kioskWindowOptions({
      preload: 'p',
      packaged: true,
      screen: { left: 0, top: 0, width: 1280, height: 720 },
    });
    // One row more than the screen: X11 Chromium shaves a pixel off a window of a display's exact size.
    expect(o).toMatchObject({ x: 0, y: 0, width: 1280, height: 721, fullscreen: true, kiosk: true });
    // A second monitor's origin is kept.
    expect(
      kioskWindowOptions({ preload: 'p', packaged: true, screen: { left: 1920, top: 0, width: 1024, height: 768 } }),
    ).toMatchObject({ x: 1920, y: 0, width: 1024, height: 769 });
  });

  it('keeps devtools for development builds, and takes a placement instead of full screen', () => {
    const o = kioskWindowOptions({
      preload: 'p',
      packaged: false,
      placement: { x: 960, y: 0, width: 960, height: 600 },
    });
    expect(o.webPreferences?.devTools).toBe(true);
    expect(o).toMatchObject({ x: 960, width: 960 });
    expect(o.fullscreen).toBeUndefined();
  });
});

describe('the blocked shortcuts', () => {
  it.each([
    ['F5', {}],
    ['F11', {}],
    ['F12', {}],
    ['r', { control: true }],
    ['R', { control: true, shift: true }],
    ['w', { control: true }],
    ['q', { meta: true }],
    ['=', { control: true }],
    ['-', { control: true }],
    ['0', { control: true }],
    ['I', { control: true, shift: true }],
    ['F4', { alt: true }],
    ['ArrowLeft', { alt: true }],
  ] as const)('blocks %s %j', (k, mods) => {
    expect(isBlockedShortcut(key(k, mods))).toBe(true);
  });

  it.each([
    ['A', { control: true, shift: true }],
    ['S', { control: true, shift: true }],
    ['Escape', {}],
    ['r', {}],
    ['c', { control: true }],
    ['v', { control: true }],
    ['Tab', {}],
  ] as const)('lets %s %j through (admin, stats, typing)', (k, mods) => {
    expect(isBlockedShortcut(key(k, mods))).toBe(false);
  });

  it('only looks at key presses', () => {
    expect(isBlockedShortcut({ ...key('F5'), type: 'keyUp' })).toBe(false);
  });
});

describe('the Electron display', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it("opens one window on Portal's page and refuses to close it, navigate it or open others", () => {
    const { windows, current } = setup();
    expect(windows).toHaveLength(1);
    expect(current().loaded).toBe('app://portal/');
    expect(current().cancellable(current(), 'close')).toBe(true);
    expect(current().cancellable(current().contents, 'will-navigate', 'https://example.com/')).toBe(true);
    expect(current().contents.openHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(current().cancellable(current().contents, 'before-input-event', key('r', { control: true }))).toBe(true);
    expect(
      current().cancellable(current().contents, 'before-input-event', key('A', { control: true, shift: true })),
    ).toBe(false);
  });

  it('replaces the window when its renderer is gone, counting a restart', () => {
    const { windows, watchdog, current } = setup();
    const first = current();
    first.contents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    expect(first.destroyed).toBe(true);
    expect(windows).toHaveLength(2);
    expect(current().loaded).toBe('app://portal/');
    expect(watchdog.status.restarts).toBe(1);
    // Events from the old window no longer count.
    first.contents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    expect(windows).toHaveLength(2);
  });

  it('reloads an unresponsive page into a fresh renderer, then replaces the window if it hangs again', () => {
    const { windows, watchdog, current } = setup();
    watchdog.heartbeat('live');
    current().contents.emit('unresponsive');
    expect(current().contents.crashed).toBe(1);
    expect(current().contents.reloads).toBe(1);
    // The renderer we crashed on purpose is not a second failure.
    current().contents.emit('render-process-gone', {}, { reason: 'killed', exitCode: 0 });
    expect(windows).toHaveLength(1);
    current().contents.emit('unresponsive');
    expect(windows).toHaveLength(2);
    expect(watchdog.status.restarts).toBe(1);
  });

  it('reloads a page whose heartbeat stopped, then replaces the window', () => {
    const { windows, watchdog, current } = setup();
    watchdog.heartbeat('live');
    vi.advanceTimersByTime(11_000);
    expect(current().contents.reloads).toBe(1);
    expect(watchdog.status).toMatchObject({ reloads: 1, quietReloads: 0 });
    expect(windows).toHaveLength(1);
    vi.advanceTimersByTime(10_000);
    expect(windows).toHaveLength(2);
    expect(watchdog.status.restarts).toBe(1);
  });

  it("gives a closed site's page its quiet reload, counted apart from repairs", () => {
    const { windows, watchdog, current } = setup();
    const opensAt = Date.now() + 8 * 3_600_000;
    for (let s = 0; s < 12 * 60; s += 2) {
      watchdog.heartbeat('closed', opensAt);
      vi.advanceTimersByTime(2_000);
    }
    expect(current().contents.reloads).toBe(1);
    expect(windows).toHaveLength(1);
    expect(watchdog.status).toMatchObject({ reloads: 0, quietReloads: 1, restarts: 0 });
  });

  it('cools down in a crash loop instead of spinning, then tries again', () => {
    const { windows, current } = setup();
    for (let i = 0; i < 3; i++) current().contents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 1 });
    expect(windows).toHaveLength(4);
    current().contents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 1 });
    expect(windows).toHaveLength(4);
    vi.advanceTimersByTime(29_000);
    expect(windows).toHaveLength(4);
    vi.advanceTimersByTime(1_500);
    expect(windows).toHaveLength(5);
  });

  it('closes its window on stop and opens no other', async () => {
    const { display, windows, current } = setup();
    await display.stop();
    expect(current().destroyed).toBe(true);
    current().contents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 1 });
    vi.advanceTimersByTime(60_000);
    expect(windows).toHaveLength(1);
  });

  it('covers the screen again when it changes and the window no longer covers it', () => {
    const screen = new FakeScreen();
    const { display, current } = setup(screen);
    // A window manager that made the window full screen on the new mode: nothing to do.
    current().bounds = { x: 0, y: 0, width: 1920, height: 1080 };
    screen.change({ left: 0, top: 0, width: 1920, height: 1080 });
    expect(current().boundsSet).toEqual([]);
    // A bare X server leaves the window as it was.
    screen.change({ left: 0, top: 0, width: 2560, height: 1440 });
    expect(current().boundsSet).toEqual([{ x: 0, y: 0, width: 2560, height: 1441 }]);
    void display.stop();
    expect(screen.listeners.size).toBe(0);
  });

  it('leaves a placed window (no screen given) where it is', () => {
    const { current } = setup();
    expect(current().boundsSet).toEqual([]);
  });
});
