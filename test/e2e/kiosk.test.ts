// `portal kiosk` end to end: a real Chromium under Xvfb (no window manager, as a bare kiosk
// runs), supervised by the built CLI. The first test runs the production path, where the host
// drives its browser over the DevTools pipe only; the tests that drive the kiosk's page
// themselves open a DevTools port with PORTAL_DEVTOOLS_PORT, the developer's way in.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { WebSocket } from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig, configText, parseConfigText } from '../../app/config/portal-config.js';
import { runCli, type RunningCli } from '../support/built-cli.js';
import { startXvfb, type Screenshot, type Xvfb } from '../support/xvfb.js';
import { freePort } from '../support/free-port.js';
import { browserPids, commandLine, listeningPorts } from '../support/browser-processes.js';

interface KioskHealth {
  kiosks: Array<{
    site: string;
    shell: string;
    state: string;
    restarts: number;
    repairs: { session: number; reload: number; restart: number };
    heartbeatAgeSeconds: number | null;
    opensAt?: string | null;
  }>;
}

let xvfb: Xvfb;
const running: RunningCli[] = [];

beforeAll(async () => {
  xvfb = await startXvfb();
});
afterAll(async () => {
  await xvfb.stop();
});
afterEach(() => {
  for (const cli of running.splice(0)) if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
});

function kiosk(configPath: string, env: Record<string, string> = {}, command = 'kiosk'): RunningCli {
  const cli = runCli([command, '--config', configPath, '--browser', '/usr/bin/chromium'], {
    DISPLAY: xvfb.display,
    PORTAL_CHROMIUM_FLAGS: '--use-fake-device-for-media-stream --disable-gpu',
    ...env,
  });
  running.push(cli);
  return cli;
}

async function health(port: number): Promise<KioskHealth> {
  return (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as KioskHealth;
}

/** The DevTools port a kiosk opened with PORTAL_DEVTOOLS_PORT=0, from its profile. */
const devtoolsPortOf = (dir: string): string =>
  readFileSync(join(dir, 'chromium-profile', 'DevToolsActivePort'), 'utf8').split('\n')[0]!;

/** The colours along the screen's four edges: the page's alone when its window covers the screen. */
function edgeColors(shot: Screenshot): string[] {
  const colors = new Set<string>();
  for (let x = 0; x < shot.width; x++) colors.add(shot.color(x, 0)).add(shot.color(x, shot.height - 1));
  for (let y = 0; y < shot.height; y++) colors.add(shot.color(0, y)).add(shot.color(shot.width - 1, y));
  return [...colors];
}

/** The waiting page's background (renderer/view/portal.css); the bare X root is black. */
const PAGE_BACKGROUND = '#101418';

describe('portal kiosk in a supervised Chromium', () => {
  it('portal start writes a config on first start, shows waiting, brings a killed browser back, and stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portal-kiosk-'));
    const configPath = join(dir, 'config.json');
    // The front door, in the shell these machines have (no Electron binary can be fetched here).
    const cli = kiosk(configPath, { PORTAL_SHELL: 'chromium' }, 'start');
    await cli.waitForLine(/^portal start: PORTAL_SHELL=chromium; running the kiosk in the system Chromium$/);
    const [, port] = await cli.waitForLine(/local port (\d+)$/, 20_000);
    const config = parseConfigText(readFileSync(configPath, 'utf8'));
    expect(config.ok).toBe(true);
    await expect.poll(async () => (await health(Number(port))).kiosks[0]?.state, { timeout: 30_000 }).toBe('waiting');
    expect((await health(Number(port))).kiosks[0]).toMatchObject({ shell: 'chromium', restarts: 0 });

    // What any local user sees of the browser: no secret, no port; and its page on every pixel.
    const profile = join(dir, 'chromium-profile');
    const seenFromOutside = () => {
      const pids = browserPids(profile);
      expect(pids.length).toBeGreaterThan(0);
      const lines = pids.map((pid) => commandLine(pid).join(' '));
      expect(lines.find((line) => line.includes('--remote-debugging-pipe'))).toBeDefined();
      expect(lines.filter((line) => /bridge=|#|127\.0\.0\.1:\d+\/|remote-debugging-port/.test(line))).toEqual([]);
      expect(listeningPorts(pids)).toEqual([]);
      expect(edgeColors(xvfb.screenshot())).toEqual([PAGE_BACKGROUND]);
      return pids;
    };
    const before = seenFromOutside();
    expect(cli.stdout()).toMatch(
      /"event":"chromium-window-placed","screen":"1280x720\+0\+0","from":"1050x700\+10\+10"/,
    );

    // A browser that dies: its pipe closes with it, and the new one has a pipe of its own, on
    // which the host sends it to the page again.
    process.kill(Math.min(...before), 'SIGKILL');
    await expect.poll(async () => (await health(Number(port))).kiosks[0]?.restarts, { timeout: 15_000 }).toBe(1);
    await expect.poll(async () => (await health(Number(port))).kiosks[0]?.state, { timeout: 30_000 }).toBe('waiting');
    await expect.poll(() => edgeColors(xvfb.screenshot()), { timeout: 10_000 }).toEqual([PAGE_BACKGROUND]);
    expect(seenFromOutside().some((pid) => before.includes(pid))).toBe(false);
    expect(cli.stdout()).not.toMatch(/"event":"chromium-pipe-closed"/);

    cli.child.kill('SIGTERM');
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    expect(browserPids(profile)).toEqual([]);
    // The same structured lines went to portal.log beside the config, up to the last one.
    const logFile = readFileSync(join(dir, 'portal.log'), 'utf8');
    expect(logFile).toMatch(/"event":"config-first-start"/);
    expect(logFile).toMatch(/"event":"chromium-exited"/);
    const lastLine = (text: string) =>
      text
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .at(-1);
    expect(lastLine(logFile)).toBe(lastLine(cli.stdout()));
    expect(cli.stderr()).not.toMatch(/log file|write after end/);
  });

  // The watchdog's first step for a page stuck in a script: a reload over the host's DevTools
  // pipe (the page opened again in a new tab, with a renderer of its own, and the hung tab
  // closed), with no browser restart. kiosk-policy.test.ts does the same under the policy.
  it('brings a hung renderer back with a reload over the pipe', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portal-kiosk-'));
    const configPath = join(dir, 'config.json');
    const config = {
      ...defaultConfig('hung-test', 'k'.repeat(24)),
      signaling: { host: true, port: await freePort(), url: null, turn: null },
    };
    writeFileSync(configPath, configText(config));
    const cli = kiosk(configPath, { PORTAL_HEARTBEAT_TIMEOUT_MS: '4000', PORTAL_DEVTOOLS_PORT: '0' });
    const [, port] = await cli.waitForLine(/local port (\d+)$/, 20_000);
    await expect.poll(async () => (await health(Number(port))).kiosks[0]?.state, { timeout: 30_000 }).toBe('waiting');

    // Freeze the page's main thread through a DevTools port, as a hung page would. The port is
    // there only because PORTAL_DEVTOOLS_PORT asked for it, and the host says so; it is what the
    // first test's look at the browser's sockets would have found.
    const devtoolsFile = join(dir, 'chromium-profile', 'DevToolsActivePort');
    expect(existsSync(devtoolsFile)).toBe(true);
    const devtoolsPort = devtoolsPortOf(dir);
    expect(listeningPorts(browserPids(join(dir, 'chromium-profile')))).toEqual([Number(devtoolsPort)]);
    expect(cli.stdout()).toMatch(/"level":"warn".*"event":"chromium-devtools-port-open","port":0/);
    const targets = (await (await fetch(`http://127.0.0.1:${devtoolsPort}/json/list`)).json()) as Array<{
      type: string;
      webSocketDebuggerUrl: string;
    }>;
    const page = targets.find((t) => t.type === 'page')!;
    const socket = new WebSocket(page.webSocketDebuggerUrl);
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ id: 1, method: 'Runtime.evaluate', params: { expression: 'for (;;) {}' } }));

    await cli.waitForLine(/"event":"renderer-reload"/, 20_000);
    socket.terminate();
    await expect
      .poll(
        async () => {
          const entry = (await health(Number(port))).kiosks[0];
          return (
            entry !== undefined &&
            entry.state === 'waiting' &&
            entry.heartbeatAgeSeconds !== null &&
            entry.heartbeatAgeSeconds < 3
          );
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    expect(cli.stdout()).not.toMatch(/"event":"renderer-reload-(failed|error)"/);
    expect(cli.stdout()).not.toMatch(/"event":"chromium-restart"/);
    expect((await health(Number(port))).kiosks[0]).toMatchObject({ restarts: 0, repairs: { reload: 1, restart: 0 } });
    cli.child.kill('SIGTERM');
    expect((await cli.exited).code).toBe(0);
  });

  it('saves the admin overlay into the config file through the bridge, and restarts from it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portal-kiosk-'));
    const configPath = join(dir, 'config.json');
    const config = {
      ...defaultConfig('admin-test', 'k'.repeat(24)),
      signaling: { host: true, port: await freePort(), url: null, turn: null },
    };
    writeFileSync(configPath, configText(config));
    const cli = kiosk(configPath, { PORTAL_DEVTOOLS_PORT: '0' });
    const [, port] = await cli.waitForLine(/local port (\d+)$/, 20_000);
    await expect.poll(async () => (await health(Number(port))).kiosks[0]?.state, { timeout: 30_000 }).toBe('waiting');

    // Drive the kiosk's own page, as a person at its keyboard would.
    const devtoolsPort = devtoolsPortOf(dir);
    const newPort = await freePort();
    const browser = await chromium.connectOverCDP(`http://127.0.0.1:${devtoolsPort}`);
    let before: number[] = [];
    try {
      const page = browser
        .contexts()[0]!
        .pages()
        .find((p) => p.url().includes('#bridge='))!;
      await page.keyboard.press('Control+Shift+A');
      await page.getByLabel('PIN', { exact: true }).fill('2468');
      await page.getByLabel('Confirm PIN', { exact: true }).fill('2468');
      await page.getByRole('button', { name: 'Set PIN' }).click();
      await page.getByLabel('Resolution').waitFor({ state: 'visible' });
      const saved = () => parseConfigText(readFileSync(configPath, 'utf8'));
      const withPin = saved();
      expect(withPin.ok && withPin.config.pin).toMatchObject({ algorithm: 'PBKDF2-SHA256' });
      expect(readFileSync(configPath, 'utf8')).not.toContain('2468');

      // A wrong value saves nothing.
      await page.getByLabel('Port', { exact: true }).fill('http');
      await page.getByRole('button', { name: 'Apply' }).click();
      await expect
        .poll(() => page.textContent('#admin-port-error'))
        .toMatch(/^Port must be a whole number from 1 to 65535/);
      expect(saved()).toEqual(withPin);

      await page.getByLabel('Port', { exact: true }).fill(String(config.signaling.port));
      await page.getByLabel('Resolution').selectOption('640x480');
      await page.getByLabel('Max bitrate').fill('900');
      await page.getByRole('button', { name: 'Apply' }).click();
      await expect.poll(() => page.textContent('.admin-message')).toMatch(/^Saved\./);
      expect(saved()).toMatchObject({
        ok: true,
        config: { width: 640, height: 480, maxBitrate: 900, pin: expect.anything() },
      });
      await page.getByText('Log (last 200 lines)').click();
      await expect.poll(() => page.textContent('.admin-log')).toMatch(/"event":"admin-settings-saved"/);

      // A new port for the hosted server is saved, and waits for a restart.
      await page.getByLabel('Port', { exact: true }).fill(String(newPort));
      await page.getByRole('button', { name: 'Apply' }).click();
      await expect
        .poll(() => page.textContent('.admin-message'))
        .toBe('Saved. Press Restart (below) for the new settings to take effect.');
      expect(saved()).toMatchObject({ ok: true, config: { signaling: { port: newPort } } });

      // Restart: the host stops and starts again from the file, browser and all, on the new port.
      before = browserPids(join(dir, 'chromium-profile'));
      await page.getByRole('button', { name: 'Restart' }).click();
      await cli.waitForLine(/"event":"site-restart"/, 10_000);
    } finally {
      await browser.close().catch(() => undefined);
    }
    // A new browser (none of the old processes) whose page reports waiting to the new host.
    await expect
      .poll(
        async () => {
          const after = browserPids(join(dir, 'chromium-profile'));
          const state = (await health(newPort).catch(() => null))?.kiosks[0]?.state;
          return after.length > 0 && !after.some((pid) => before.includes(pid)) && state === 'waiting';
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    cli.child.kill('SIGTERM');
    expect((await cli.exited).code).toBe(0);
  });

  it('a kiosk closed by its hours shows the closed screen, and its health and portal status say so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portal-kiosk-'));
    const configPath = join(dir, 'config.json');
    // Open one minute a week, a day from now: closed now, and for the whole test.
    const later = new Date(Date.now() + 86_400_000);
    const day = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][later.getUTCDay()];
    const at = later.toISOString().slice(11, 16);
    const until = new Date(later.getTime() + 60_000).toISOString().slice(11, 16);
    const config = {
      ...defaultConfig('closed-test', 'k'.repeat(24)),
      signaling: { host: true, port: await freePort(), url: null, turn: null },
      hours: `${day} ${at}-${until}`,
      timezone: 'UTC',
    };
    writeFileSync(configPath, configText(config));
    const cli = kiosk(configPath, { PORTAL_DEVTOOLS_PORT: '0' });
    const [, port] = await cli.waitForLine(/local port (\d+)$/, 20_000);
    await expect.poll(async () => (await health(Number(port))).kiosks[0]?.state, { timeout: 30_000 }).toBe('closed');
    expect((await health(Number(port))).kiosks[0]).toMatchObject({
      opensAt: `${later.toISOString().slice(0, 16)}:00.000Z`,
      partner: null,
    });
    const status = runCli(['status', `http://127.0.0.1:${port}`]);
    running.push(status);
    expect((await status.exited).code).toBe(0);
    expect(status.stdout()).toMatch(
      new RegExp(`closed-test \\(chromium\\): closed · opens ${later.toISOString().slice(0, 16)}`),
    );

    const browser = await chromium.connectOverCDP(`http://127.0.0.1:${devtoolsPortOf(dir)}`);
    try {
      const page = browser
        .contexts()[0]!
        .pages()
        .find((p) => p.url().includes('#bridge='))!;
      expect(await page.textContent('#status-title')).toBe(`Closed · opens tomorrow at ${at}`);
      expect(await page.textContent('#clock')).toMatch(/^\d\d:\d\d$/);
      // Dimmed.
      expect(await page.evaluate("getComputedStyle(document.getElementById('status')).opacity")).toBe('0.45');
      // The page is the screen's size with no window manager: its width to the pixel, and one
      // row more than its height, below the screen's edge (X11 Chromium never makes a window
      // exactly the screen's size; docs/surface.md).
      expect(await page.evaluate('[innerWidth, innerHeight, screen.width, screen.height]')).toEqual([
        1280, 721, 1280, 720,
      ]);
      if (process.env['PORTAL_SCREENSHOTS']) {
        execFileSync('import', ['-display', xvfb.display, '-window', 'root', '/tmp/portal-kiosk-closed.png']);
      }
      // The overlay has the hours, and a wrong schedule is refused with what is wrong.
      await page.keyboard.press('Control+Shift+A');
      await page.getByLabel('PIN', { exact: true }).fill('2468');
      await page.getByLabel('Confirm PIN', { exact: true }).fill('2468');
      await page.getByRole('button', { name: 'Set PIN' }).click();
      await page.getByLabel('Opening hours').fill('mon-fri 8-20');
      await page.getByRole('button', { name: 'Apply' }).click();
      await expect
        .poll(() => page.textContent('#admin-hours-error'))
        .toBe("Opening hours rule 1 ('mon-fri 8-20'): '8-20' must be a time range such as 08:00-20:00.");
      expect(parseConfigText(readFileSync(configPath, 'utf8'))).toMatchObject({
        ok: true,
        config: { hours: config.hours },
      });
      if (process.env['PORTAL_SCREENSHOTS']) {
        execFileSync('import', ['-display', xvfb.display, '-window', 'root', '/tmp/portal-kiosk-overlay.png']);
      }
    } finally {
      await browser.close().catch(() => undefined);
    }
    cli.child.kill('SIGTERM');
    expect((await cli.exited).code).toBe(0);
  });

  it('portal demo brings up two sites that go live with each other', async () => {
    const cli = runCli(['demo', '--port', '0', '--browser', '/usr/bin/chromium'], {
      DISPLAY: xvfb.display,
      PORTAL_CHROMIUM_FLAGS: '--use-fake-device-for-media-stream --disable-gpu',
    });
    running.push(cli);
    const [, port] = await cli.waitForLine(/health at http:\/\/127\.0\.0\.1:(\d+)\/healthz$/, 20_000);
    await expect
      .poll(async () => (await health(Number(port))).kiosks.map((k) => `${k.site}:${k.state}`), { timeout: 60_000 })
      .toEqual(['demo-left:live', 'demo-right:live']);
    cli.child.kill('SIGTERM');
    expect((await cli.exited).code).toBe(0);
  });
});
