import { BridgeEvents } from '../../../../native-bridge/bridge-events.js';
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IpcMainInvokeEvent } from 'electron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../../app/log/logger.js';
import { electronShell } from '../../../../main/electron/electron-shell.js';
import type { KioskScreen, KioskWindow } from '../../../../main/electron/kiosk-window.js';
import type { HostedDisplay } from '../../../../main/site/kiosk-host.js';
import type { BridgeHandlers } from '../../../../native-bridge/contract.js';
import { DisplayWatchdog } from '../../../../main/watchdog/display-watchdog.js';

afterEach(() => void vi.useRealTimers());

function fakeWindow() {
  const sent: Array<[string, unknown]> = [];
  const contents = Object.assign(new EventEmitter(), {
    setWindowOpenHandler: () => undefined,
    setVisualZoomLevelLimits: () => Promise.resolve(),
    send: (channel: string, payload: unknown) => void sent.push([channel, payload]),
    sent,
  });
  return Object.assign(new EventEmitter(), {
    webContents: contents,
    loaded: '',
    loadURL(url: string) {
      this.loaded = url;
      return Promise.resolve();
    },
    destroy: () => undefined,
    isDestroyed: () => false,
    getBounds: () => ({ x: 0, y: 0, width: 1280, height: 721 }),
    setBounds: () => undefined,
  });
}

function setup(screen?: KioskScreen) {
  vi.useFakeTimers();
  const root = mkdtempSync(join(tmpdir(), 'portal-shell-'));
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html>');
  const channels = new Map<string, (event: IpcMainInvokeEvent, payload: unknown) => unknown>();
  const schemes = new Map<string, (request: Request) => Promise<Response>>();
  const windows: ReturnType<typeof fakeWindow>[] = [];
  const shell = electronShell({
    ipcMain: {
      handle: (channel: string, listener: never) => {
        if (channels.has(channel)) throw new Error(`second handler for ${channel}`);
        channels.set(channel, listener);
      },
      removeHandler: (channel: string) => void channels.delete(channel),
    } as never,
    protocol: {
      handle: (scheme: string, handler: never) => {
        if (schemes.has(scheme)) throw new Error(`${scheme} handled twice`);
        schemes.set(scheme, handler);
      },
      unhandle: (scheme: string) => void schemes.delete(scheme),
    } as never,
    createWindow: () => {
      const window = fakeWindow();
      windows.push(window);
      return window as unknown as KioskWindow;
    },
    rendererDir: root,
    logger: silentLogger,
    ...(screen ? { screen } : {}),
  });
  const watchdog = new DisplayWatchdog(() => Date.now());
  const display: HostedDisplay = {
    events: new BridgeEvents(),
    spec: {
      site: 'dublin',
      settings: (port) => ({ signal: `ws://127.0.0.1:${port}/signal` }) as never,
      warning: null,
      hardwareVideo: 'auto',
      profileDir: root,
    },
    watchdog,
    handlers: {
      reportState: ({ state }: { state: 'waiting' }) => watchdog.heartbeat(state),
      getSettings: () => ({ settings: 'x' }),
    } as unknown as BridgeHandlers,
    secret: 'unused',
    localPort: 8899,
  };
  return { shell, display, channels, schemes, windows, watchdog };
}

describe('the Electron shell', () => {
  it('watches the screen for the full-screen kiosk, and not for a window of its own', async () => {
    let watching = 0;
    const screen: KioskScreen = {
      bounds: () => ({ left: 0, top: 0, width: 1280, height: 720 }),
      onChange: () => {
        watching++;
        return () => void watching--;
      },
    };
    const kiosk = setup(screen);
    const shown = kiosk.shell.open(kiosk.display);
    expect(watching).toBe(1);
    await shown.stop();
    expect(watching).toBe(0);
    const placed = setup(screen);
    const window = { x: 0, y: 0, width: 960, height: 600 };
    const shownPlaced = placed.shell.open({ ...placed.display, spec: { ...placed.display.spec, window } });
    expect(watching).toBe(0);
    await shownPlaced.stop();
  });

  it("opens the site's window on app://portal/, served with a CSP for its signaling server", async () => {
    const { shell, display, schemes, windows } = setup();
    expect(shell).toMatchObject({ name: 'electron', httpBridge: false });
    const shown = shell.open(display);
    expect(windows[0]!.loaded).toBe('app://portal/');
    const response = await schemes.get('app')!(new Request('app://portal/'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("connect-src 'self' ws://127.0.0.1:8899");
    await shown.stop();
  });

  it("wires the page's bridge calls to the display's handlers through the checked IPC wrapper", async () => {
    const { shell, display, channels, watchdog } = setup();
    const shown = shell.open(display);
    const frame = { senderFrame: { url: 'app://portal/' } } as unknown as IpcMainInvokeEvent;
    channels.get('portal:reportState')!(frame, { state: 'waiting', error: null });
    expect(watchdog.status.state).toBe('waiting');
    expect(channels.get('portal:getSettings')!(frame, null)).toEqual({ settings: 'x' });
    expect(() => channels.get('portal:getSettings')!(frame, 'junk')).toThrow(/getSettings/);
    await shown.stop();
  });

  it("carries the host's events to the page over IPC, until the display stops", async () => {
    const { shell, display, windows } = setup();
    const shown = shell.open(display);
    display.events.emit('settingsChanged', { settings: 'new' as never });
    expect(windows[0]!.webContents.sent).toEqual([['portal:event:settingsChanged', { settings: 'new' }]]);
    await shown.stop();
    expect(display.events.listening).toBe(0);
  });

  it('shows one display at a time, and opens it again after a restart', async () => {
    const { shell, display, windows, channels, schemes } = setup();
    const shown = shell.open(display);
    expect(() => shell.open(display)).toThrow(/one display/);
    await shown.stop();
    expect(channels.size).toBe(0);
    expect(schemes.size).toBe(0);
    const again = shell.open(display);
    expect(windows).toHaveLength(2);
    expect(schemes.has('app')).toBe(true);
    await again.stop();
  });
});
