// `portal kiosk` end to end: a real Chromium under Xvfb, supervised by the built CLI.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig, configText, parseConfigText } from '../../app/config/portal-config.js';
import { runCli, type RunningCli } from '../support/built-cli.js';
import { startXvfb, type Xvfb } from '../support/xvfb.js';

interface KioskHealth {
  kiosks: Array<{ site: string; shell: string; state: string; restarts: number; heartbeatAgeSeconds: number | null }>;
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

function kiosk(configPath: string, env: Record<string, string> = {}): RunningCli {
  const cli = runCli(['kiosk', '--config', configPath, '--browser', '/usr/bin/chromium'], {
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

const browserPids = (profile: string): number[] => {
  try {
    return execFileSync('pgrep', ['-f', '--', `--user-data-dir=${profile}`], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
};

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('portal kiosk in a supervised Chromium', () => {
  it('writes a config on first start, shows waiting, brings a killed browser back, and stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portal-kiosk-'));
    const configPath = join(dir, 'config.json');
    const cli = kiosk(configPath);
    const [, port] = await cli.waitForLine(/local port (\d+)$/, 20_000);
    const config = parseConfigText(readFileSync(configPath, 'utf8'));
    expect(config.ok).toBe(true);
    await expect.poll(async () => (await health(Number(port))).kiosks[0]?.state, { timeout: 30_000 }).toBe('waiting');
    expect((await health(Number(port))).kiosks[0]).toMatchObject({ shell: 'chromium', restarts: 0 });

    const profile = join(dir, 'chromium-profile');
    const before = browserPids(profile);
    expect(before.length).toBeGreaterThan(0);
    process.kill(Math.min(...before), 'SIGKILL');
    await expect.poll(async () => (await health(Number(port))).kiosks[0]?.restarts, { timeout: 15_000 }).toBe(1);
    await expect.poll(async () => (await health(Number(port))).kiosks[0]?.state, { timeout: 30_000 }).toBe('waiting');

    cli.child.kill('SIGTERM');
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    expect(browserPids(profile)).toEqual([]);
    // The same structured lines went to portal.log beside the config.
    const logFile = readFileSync(join(dir, 'portal.log'), 'utf8');
    expect(logFile).toMatch(/"event":"config-first-start"/);
    expect(logFile).toMatch(/"event":"chromium-exited"/);
  });

  // The watchdog's ladder for a page stuck in a script: a reload through DevTools is tried first;
  // here it does not bring the heartbeat back, and the browser restart that follows does.
  it('brings a hung renderer back: a reload is tried, then the browser is restarted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portal-kiosk-'));
    const configPath = join(dir, 'config.json');
    const config = {
      ...defaultConfig('hung-test', 'k'.repeat(24)),
      signaling: { host: true, port: await freePort(), url: null },
    };
    writeFileSync(configPath, configText(config));
    const cli = kiosk(configPath, { PORTAL_HEARTBEAT_TIMEOUT_MS: '4000' });
    const [, port] = await cli.waitForLine(/local port (\d+)$/, 20_000);
    await expect.poll(async () => (await health(Number(port))).kiosks[0]?.state, { timeout: 30_000 }).toBe('waiting');

    // Freeze the page's main thread through the browser's DevTools port, as a hung page would.
    const devtoolsFile = join(dir, 'chromium-profile', 'DevToolsActivePort');
    expect(existsSync(devtoolsFile)).toBe(true);
    const devtoolsPort = readFileSync(devtoolsFile, 'utf8').split('\n')[0];
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
    expect(cli.stdout()).toMatch(/"event":"chromium-restart","reason":"no heartbeat after a reload"/);
    expect((await health(Number(port))).kiosks[0]?.restarts).toBe(1);
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
