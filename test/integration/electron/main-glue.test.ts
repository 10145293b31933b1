// The Electron main process, wired to a stand-in `electron` module (the binary cannot be
// downloaded here): the real main.ts runs against fakes of app, BrowserWindow, protocol, ipcMain,
// session, powerSaveBlocker, Menu and screen, with the real config store, kiosk host and signaling
// server on a real port. It checks the glue's order and calls, not Electron itself.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { configText, defaultConfig } from '../../../app/config/portal-config.js';
import { BRIDGE_CALLS } from '../../../native-bridge/contract.js';
import { freePort } from '../../support/free-port.js';

const fake = await vi.hoisted(async () => {
  // vi.hoisted runs before the imports above: what it needs, it imports itself.
  const { EventEmitter: Emitter } = await import('node:events');
  const calls: string[] = [];
  const note =
    (name: string, answer?: unknown) =>
    (...args: unknown[]) => {
      calls.push(name);
      fake.args.set(name, args);
      fake.history.push([name, args]);
      return answer;
    };
  const windows: Array<{ options: unknown; loaded: string | null; destroyed: boolean; webContents: unknown }> = [];
  const app = Object.assign(new Emitter(), {
    isPackaged: false,
    commandLine: { appendSwitch: note('commandLine.appendSwitch') },
    disableHardwareAcceleration: note('app.disableHardwareAcceleration'),
    requestSingleInstanceLock: note('app.requestSingleInstanceLock', true),
    whenReady: () => {
      calls.push('app.whenReady');
      return Promise.resolve();
    },
    setLoginItemSettings: note('app.setLoginItemSettings'),
    relaunch: note('app.relaunch'),
    exit: note('app.exit'),
    quit: note('app.quit'),
  });
  class BrowserWindow extends Emitter {
    readonly webContents = Object.assign(new Emitter(), {
      setWindowOpenHandler: () => undefined,
      setVisualZoomLevelLimits: () => Promise.resolve(),
      forcefullyCrashRenderer: () => undefined,
      reload: () => undefined,
      send: () => undefined,
    });
    loaded: string | null = null;
    destroyed = false;
    constructor(readonly options: unknown) {
      super();
      calls.push('new BrowserWindow');
      windows.push(this);
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
  }
  const screen = Object.assign(new Emitter(), {
    getPrimaryDisplay: () => ({ bounds: { x: 0, y: 0, width: 1920, height: 1080 } }),
  });
  const schemes = new Map<string, (request: Request) => Promise<Response>>();
  const channels = new Map<string, (event: unknown, payload: unknown) => unknown>();
  const fake = {
    calls,
    args: new Map<string, unknown[]>(),
    history: [] as Array<[string, unknown[]]>,
    windows,
    schemes,
    channels,
    module: {
      app,
      BrowserWindow,
      Menu: { setApplicationMenu: note('Menu.setApplicationMenu') },
      screen,
      powerSaveBlocker: { start: note('powerSaveBlocker.start', 7), stop: note('powerSaveBlocker.stop') },
      protocol: {
        registerSchemesAsPrivileged: note('protocol.registerSchemesAsPrivileged'),
        handle: (scheme: string, handler: (request: Request) => Promise<Response>) => {
          calls.push('protocol.handle');
          schemes.set(scheme, handler);
        },
        unhandle: (scheme: string) => void schemes.delete(scheme),
      },
      ipcMain: {
        handle: (channel: string, listener: (event: unknown, payload: unknown) => unknown) =>
          void channels.set(channel, listener),
        removeHandler: (channel: string) => void channels.delete(channel),
      },
      session: {
        defaultSession: {
          setPermissionRequestHandler: note('session.setPermissionRequestHandler'),
          setPermissionCheckHandler: note('session.setPermissionCheckHandler'),
        },
      },
    },
  };
  return fake;
});

vi.mock('electron', () => fake.module);

const signalListeners = { SIGTERM: process.listeners('SIGTERM'), SIGINT: process.listeners('SIGINT') };
const runnerArgv = process.argv;
afterAll(() => {
  process.argv = runnerArgv;
  // main.ts stops on SIGTERM/SIGINT; leave the test process's own handlers only.
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    for (const listener of process.listeners(signal))
      if (!signalListeners[signal].includes(listener)) process.off(signal, listener);
});

describe('the Electron main process, on a stand-in electron module', () => {
  it('registers the scheme before ready, opens the kiosk window on app://portal/, and stops on quit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portal-electron-main-'));
    const port = await freePort();
    const config = {
      ...defaultConfig('electron-site', 'k'.repeat(24)),
      signaling: { host: true, port, url: null, turn: null },
      hardwareVideo: 'off' as const,
    };
    writeFileSync(join(dir, 'config.json'), configText(config));
    // Electron's command line for the whole test (afterAll puts the test runner's back).
    process.argv = ['/opt/electron', '/opt/portal', '--no-sandbox', '--config', join(dir, 'config.json')];
    // The built file, as Electron runs it (`npm test` builds first).
    await import('../../../dist/main/electron/main.js' as string);
    await expect.poll(() => fake.windows.length, { timeout: 10_000 }).toBe(1);

    // Before ready: the privileged scheme and autoplay; after: menu, permissions, power, window.
    const order = fake.calls;
    expect(order.indexOf('protocol.registerSchemesAsPrivileged')).toBeLessThan(order.indexOf('app.whenReady'));
    expect(order.indexOf('app.requestSingleInstanceLock')).toBeLessThan(order.indexOf('app.whenReady'));
    expect(order.indexOf('app.whenReady')).toBeLessThan(order.indexOf('new BrowserWindow'));
    expect(fake.args.get('protocol.registerSchemesAsPrivileged')).toEqual([
      [{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }],
    ]);
    expect(fake.args.get('powerSaveBlocker.start')).toEqual(['prevent-display-sleep']);
    expect(fake.args.get('Menu.setApplicationMenu')).toEqual([null]);
    expect(order).not.toContain('app.disableHardwareAcceleration');
    // The config's hardwareVideo (off), as switches before ready.
    const switches = fake.history.filter(([name]) => name === 'commandLine.appendSwitch').map(([, a]) => a);
    expect(switches).toEqual(
      expect.arrayContaining([['disable-accelerated-video-decode'], ['disable-accelerated-video-encode']]),
    );
    expect(order.lastIndexOf('commandLine.appendSwitch')).toBeLessThan(order.indexOf('app.whenReady'));
    expect(fake.module.app.listenerCount('window-all-closed')).toBe(1);

    const window = fake.windows[0]!;
    expect(window.loaded).toBe('app://portal/');
    expect(window.options).toMatchObject({
      kiosk: true,
      frame: false,
      webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false },
    });
    // On the primary display's bounds (one row more: screen-cover.ts), watched for changes.
    expect(window.options).toMatchObject({ x: 0, y: 0, width: 1920, height: 1081, fullscreen: true });
    expect(fake.module.screen.listenerCount('display-metrics-changed')).toBe(1);
    expect((window.options as { webPreferences: { preload: string } }).webPreferences.preload).toMatch(
      /dist\/preload\/preload\.cjs$/,
    );

    // The page's side: its scheme, its bridge, and the host's /healthz naming the shell.
    const page = await fake.schemes.get('app')!(new Request('app://portal/'));
    expect(page.headers.get('content-security-policy')).toContain(`connect-src 'self' ws://127.0.0.1:${port}`);
    expect([...fake.channels.keys()].sort()).toEqual(BRIDGE_CALLS.map((call) => `portal:${call}`).sort());
    const frame = { senderFrame: { url: 'app://portal/' } };
    expect(await fake.channels.get('portal:getSettings')!(frame, null)).toMatchObject({
      settings: { site: 'electron-site', signal: `ws://127.0.0.1:${port}/signal` },
    });
    await fake.channels.get('portal:reportState')!(frame, { state: 'waiting', error: null });
    const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as {
      kiosks: Array<{ shell: string; state: string }>;
    };
    expect(health.kiosks).toEqual([
      expect.objectContaining({ site: 'electron-site', shell: 'electron', state: 'waiting' }),
    ]);

    // Three GPU process crashes: relaunch without hardware acceleration.
    for (let i = 0; i < 3; i++)
      fake.module.app.emit('child-process-gone', {}, { type: 'GPU', reason: 'crashed', exitCode: 1 });
    expect(fake.args.get('app.relaunch')).toEqual([
      { args: ['/opt/portal', '--no-sandbox', '--config', join(dir, 'config.json'), '--portal-disable-gpu'] },
    ]);
    expect(fake.args.get('app.exit')).toEqual([0]);
    fake.args.delete('app.exit');

    // Quitting stops the host (server closed, window gone) and then exits.
    let prevented = false;
    fake.module.app.emit('before-quit', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    await expect.poll(() => fake.args.get('app.exit'), { timeout: 10_000 }).toEqual([0]);
    expect(window.destroyed).toBe(true);
    expect(fake.args.get('powerSaveBlocker.stop')).toEqual([7]);
    expect(fake.module.screen.listenerCount('display-metrics-changed')).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});
