// `portal kiosk` under the managed policies that `portal install-autostart --browser-policy`
// writes, end to end: a real Chromium under Xvfb with no window manager, in a private mount
// namespace whose /etc/chromium holds that policy (only this test's processes see it; the
// machine's /etc is never written). With DeveloperToolsAvailability 2 Chromium refuses to attach
// the DevTools protocol to a page; the host drives its browser with browser-wide commands only,
// so the page opens, covers the screen and is reloaded as it is without the policy. The page's
// state comes from the host's /healthz, since under the policy a test cannot open the page.

import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { configText, defaultConfig } from '../../app/config/portal-config.js';
import { browserPids, commandLine } from '../support/browser-processes.js';
import { runCli, type RunningCli } from '../support/built-cli.js';
import { freePort } from '../support/free-port.js';
import { startXvfb, type Screenshot, type Xvfb } from '../support/xvfb.js';

interface KioskHealth {
  kiosks: Array<{
    state: string;
    restarts: number;
    repairs: { session: number; reload: number; restart: number };
    heartbeatAgeSeconds: number | null;
  }>;
}

/** The waiting page's background (renderer/view/portal.css); the bare X root is black. */
const PAGE_BACKGROUND = '#101418';
const ETC_CHROMIUM = '/etc/chromium';

let xvfb: Xvfb;
const running: RunningCli[] = [];
/** Renderers the test stopped (SIGSTOP), killed at the end whatever happened. */
const stopped: number[] = [];

beforeAll(async () => {
  try {
    execFileSync('unshare', ['-m', '--propagation', 'private', 'true'], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(
      `This test gives Chromium the kiosk's policy in a private mount namespace and needs \`unshare -m\` (util-linux, as root or with CAP_SYS_ADMIN): ${(error as Error).message.trim()}`,
    );
  }
  if (!statSync(ETC_CHROMIUM, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(
      `${ETC_CHROMIUM} is missing: the test mounts its policy directory over it, and will not create it.`,
    );
  }
  xvfb = await startXvfb();
});
afterAll(async () => {
  await xvfb?.stop();
});
afterEach(() => {
  for (const cli of running.splice(0)) if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
  for (const pid of stopped.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already: the browser ended it with its tab.
    }
  }
});

async function health(port: number): Promise<KioskHealth['kiosks'][number] | undefined> {
  return ((await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as KioskHealth).kiosks[0];
}

/** The colours along the screen's four edges: the page's alone when its window covers the screen. */
function edgeColors(shot: Screenshot): string[] {
  const colors = new Set<string>();
  for (let x = 0; x < shot.width; x++) colors.add(shot.color(x, 0)).add(shot.color(x, shot.height - 1));
  for (let y = 0; y < shot.height; y++) colors.add(shot.color(0, y)).add(shot.color(shot.width - 1, y));
  return [...colors];
}

/** One DevTools command on the browser's own endpoint (the kiosk's PORTAL_DEVTOOLS_PORT); its answer or its error. */
async function browserCommand(
  endpoint: string,
  method: string,
  params: Record<string, unknown> = {},
): Promise<{ result?: Record<string, unknown>; error?: { message: string } }> {
  const socket = new WebSocket(endpoint);
  try {
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.send(JSON.stringify({ id: 1, method, params }));
    return await new Promise((resolve) => socket.once('message', (data) => resolve(JSON.parse(String(data)))));
  } finally {
    socket.terminate();
  }
}

/** A process's /proc/PID/stat fields after its name (the first is its state, the second its parent). */
function stat(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  } catch {
    return [];
  }
}

/** CPU time (ticks) a process has used. */
const cpuTicks = (pid: number): number => Number(stat(pid)[11]) + Number(stat(pid)[12]);

/**
 * The browser's renderers for web pages (not its own window furniture, --top-chrome-webui). A
 * renderer rewrites its command line as one string (so browserPids, which looks for the profile
 * flag as an argument of its own, misses it): it is matched as a whole.
 */
const webRenderers = (profileDir: string): number[] =>
  readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      const line = commandLine(pid).join(' ');
      return (
        line.includes(`--user-data-dir=${profileDir} `) &&
        line.includes('--type=renderer') &&
        !line.includes('--top-chrome-webui')
      );
    });

describe('portal kiosk under the managed policy of install-autostart --browser-policy', () => {
  it('opens its page, covers the screen and reloads a hung page, with DevTools on the page refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portal-kiosk-policy-'));
    const configPath = join(dir, 'config.json');
    const config = {
      ...defaultConfig('policy-test', 'k'.repeat(24)),
      signaling: { host: true, port: await freePort(), url: null, turn: null },
    };
    writeFileSync(configPath, configText(config));

    // The policy as a person installs it, into the copy of /etc/chromium the browser will see.
    const etc = join(dir, 'etc-chromium');
    const install = runCli([
      'install-autostart',
      '--browser-policy',
      '--policy-dir',
      join(etc, 'policies', 'managed'),
      '--config',
      configPath,
    ]);
    running.push(install);
    expect(await install.exited).toEqual({ code: 0, signal: null });
    const policy = JSON.parse(readFileSync(join(etc, 'policies', 'managed', 'portal-kiosk.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(policy).toMatchObject({
      DeveloperToolsAvailability: 2,
      URLAllowlist: [`http://127.0.0.1:${config.signaling.port}`, 'about:blank'],
    });
    for (const file of readdirSync(ETC_CHROMIUM)) {
      if (statSync(join(ETC_CHROMIUM, file)).isFile()) copyFileSync(join(ETC_CHROMIUM, file), join(etc, file));
    }

    // The kiosk in a mount namespace of its own, where that copy is /etc/chromium. `exec` makes
    // the shell the kiosk itself, so the signals below reach it. The DevTools port is there only
    // for this test to see that the policy holds; the host drives its browser over the pipe alone.
    const cli = runCli(
      ['kiosk', '--config', configPath, '--browser', '/usr/bin/chromium'],
      {
        DISPLAY: xvfb.display,
        PORTAL_CHROMIUM_FLAGS: '--use-fake-device-for-media-stream --disable-gpu',
        PORTAL_HEARTBEAT_TIMEOUT_MS: '4000',
        PORTAL_DEVTOOLS_PORT: '0',
      },
      ['unshare', '-m', '--propagation', 'private', 'sh', '-c', `mount --bind "$0" ${ETC_CHROMIUM} && exec "$@"`, etc],
    );
    running.push(cli);
    const [, port] = await cli.waitForLine(/local port (\d+)$/, 20_000);
    await expect.poll(async () => (await health(Number(port)))?.state, { timeout: 30_000 }).toBe('waiting');
    // The page on every pixel of the screen, with no window manager.
    expect(edgeColors(xvfb.screenshot())).toEqual([PAGE_BACKGROUND]);
    expect(cli.stdout()).toMatch(/"event":"chromium-window-placed","screen":"1280x720\+0\+0"/);

    // The policy holds: the browser refuses to attach DevTools to the kiosk's page, its only tab
    // (the empty one it started on is closed).
    const profile = join(dir, 'chromium-profile');
    const [devtoolsPort, browserPath] = readFileSync(join(profile, 'DevToolsActivePort'), 'utf8').split('\n');
    const endpoint = `ws://127.0.0.1:${devtoolsPort}${browserPath}`;
    const pages = async () => {
      const { result } = await browserCommand(endpoint, 'Target.getTargets');
      // Not the address bar's drop-down (chrome://omnibox-popup.top-chrome/), which is a page too.
      return (result!['targetInfos'] as Array<{ targetId: string; type: string; url: string }>).filter(
        (target) => target.type === 'page' && !target.url.startsWith('chrome://'),
      );
    };
    const [page, ...others] = await pages();
    expect(others).toEqual([]);
    expect(page!.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${config.signaling.port}/#bridge=`));
    expect(
      await browserCommand(endpoint, 'Target.attachToTarget', { targetId: page!.targetId, flatten: true }),
    ).toEqual({ id: 1, error: { code: -32000, message: 'Not allowed' } });

    // A hung page: its renderer (the busiest one: it draws the camera) stopped, so it sends no
    // heartbeat. The watchdog's reload opens it again in a new tab and closes the hung one,
    // with no browser restart.
    const busiest = webRenderers(profile).sort((a, b) => cpuTicks(b) - cpuTicks(a))[0]!;
    expect(busiest).toBeDefined();
    process.kill(busiest, 'SIGSTOP');
    stopped.push(busiest);
    await cli.waitForLine(/"event":"renderer-reload"/, 20_000);
    await expect
      .poll(
        async () => {
          const entry = await health(Number(port));
          return entry?.state === 'waiting' && entry.heartbeatAgeSeconds !== null && entry.heartbeatAgeSeconds < 3;
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    expect(await health(Number(port))).toMatchObject({ restarts: 0, repairs: { reload: 1, restart: 0 } });
    expect(cli.stdout()).not.toMatch(/"event":"(renderer-reload-(failed|error)|chromium-restart)"/);
    const after = await pages();
    expect(after.map((p) => p.url)).toEqual([
      expect.stringMatching(new RegExp(`^http://127\\.0\\.0\\.1:${config.signaling.port}/\\?reload=\\d+#bridge=`)),
    ]);
    expect(edgeColors(xvfb.screenshot())).toEqual([PAGE_BACKGROUND]);
    // And the hung renderer is not left running: the browser ends it with its tab.
    await expect.poll(() => stat(busiest)[0] ?? 'gone', { timeout: 15_000 }).toMatch(/^(gone|Z)$/);

    cli.child.kill('SIGTERM');
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    expect(browserPids(profile)).toEqual([]);
    expect(webRenderers(profile)).toEqual([]);
  });
});
