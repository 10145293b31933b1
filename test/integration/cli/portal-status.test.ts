// `portal status` as cron would run it: the built command as a child process, asking a kiosk
// host (in this process, with a shell that shows nothing, its page's reports handed to its
// bridge handlers), a `portal serve`, and servers that answer wrongly or not at all.

import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PortalStateReport } from '../../../app/bridge/bridge-schemas.js';
import { configText, defaultConfig } from '../../../app/config/portal-config.js';
import type { KioskHost } from '../../../main/site/kiosk-host.js';
import { runCli, servePortal, type RunningCli } from '../../support/built-cli.js';
import { startFakeKioskHost } from '../../support/fake-kiosk-host.js';
import { freePort } from '../../support/free-port.js';

const hosts: KioskHost[] = [];
const servers: Server[] = [];
const clis: RunningCli[] = [];
afterEach(async () => {
  for (const cli of clis.splice(0)) if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
  await Promise.all(
    servers.splice(0).map((server) => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    }),
  );
  await Promise.all(hosts.splice(0).map((host) => host.stop()));
});

async function status(args: string[], env: NodeJS.ProcessEnv = {}) {
  const cli = runCli(['status', ...args], env);
  clis.push(cli);
  const { code } = await cli.exited;
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

async function kioskHost(port = 0) {
  const { host, display } = await startFakeKioskHost(['dublin'], { port });
  hosts.push(host);
  const report = (state: PortalStateReport['state'], extra: Partial<PortalStateReport> = {}) =>
    display('dublin').handlers.reportState({ state, error: null, ...extra });
  return { url: `http://127.0.0.1:${host.port}`, port: host.port, report };
}

/** An HTTP server on a free port that answers every request with `answer`. */
async function answering(answer: (res: ServerResponse) => void): Promise<string> {
  const server = createServer((_req, res) => answer(res));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('portal status', () => {
  it("prints a live kiosk's health on one screen and exits 0", async () => {
    const kiosk = await kioskHost();
    await kiosk.report('live', { partner: { site: 'oslo', state: 'live' }, sessionRepairs: 2, closedUntil: null });
    const { code, stdout } = await status([kiosk.url]);
    expect(code).toBe(0);
    expect(stdout).toContain(`Portal at ${kiosk.url}/healthz: up `);
    expect(stdout).toContain('dublin (chromium): live');
    expect(stdout).toContain('  partner        oslo, live');
    expect(stdout).toContain('  repairs        2 new sessions, 0 reloads, 0 restarts');
    expect(stdout).toMatch(/OK: the kiosk is live or closed by its hours\.\n$/);
  });

  it('exits 0 for a kiosk closed by its hours, and 1 with the reason for one that is not live', async () => {
    const kiosk = await kioskHost();
    await kiosk.report('closed', { partner: null, closedUntil: Date.now() + 3_600_000 });
    expect((await status([`${kiosk.url}/healthz`])).code).toBe(0);
    await kiosk.report('reconnecting', { partner: { site: 'oslo', state: 'reconnecting' } });
    const { code, stdout } = await status([`${kiosk.url}/healthz`]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/NOT OK: dublin is reconnecting\.\n$/);
  });

  it('exits 1 for a kiosk whose page has not reported yet', async () => {
    const kiosk = await kioskHost();
    const { code, stdout } = await status([kiosk.url]);
    expect(code).toBe(1);
    expect(stdout).toContain('NOT OK: dublin has not reported yet (starting).');
  });

  it("asks this machine's kiosk on the port in its config file, and never writes that file", async () => {
    const port = await freePort();
    const kiosk = await kioskHost(port);
    await kiosk.report('live');
    const home = mkdtempSync(join(tmpdir(), 'portal-status-'));
    mkdirSync(join(home, 'portal'));
    const base = defaultConfig('dublin', 'k'.repeat(24));
    writeFileSync(join(home, 'portal', 'config.json'), configText({ ...base, signaling: { ...base.signaling, port } }));
    const fromXdg = await status([], { XDG_CONFIG_HOME: home });
    expect(fromXdg.code).toBe(0);
    expect(fromXdg.stdout).toContain(`Portal at http://127.0.0.1:${port}/healthz`);
    const fromFlag = await status(['--config', join(home, 'portal', 'config.json')], {
      XDG_CONFIG_HOME: '/nonexistent',
    });
    expect(fromFlag.code).toBe(0);

    const empty = mkdtempSync(join(tmpdir(), 'portal-status-'));
    const none = await status([], { XDG_CONFIG_HOME: empty });
    expect(none.stdout).toContain(
      `No usable config file at ${join(empty, 'portal', 'config.json')}; asking the default port 8787.`,
    );
    expect(existsSync(join(empty, 'portal'))).toBe(false);
  });

  it('exits 0 for a portal serve that answers, saying it has no kiosks', async () => {
    const started: RunningCli[] = [];
    const { url } = await servePortal(started);
    clis.push(...started);
    const { code, stdout } = await status([url.replace('http', 'ws') + '/signal']);
    expect(code).toBe(0);
    expect(stdout).toContain('No kiosks here: a signaling server (portal serve).');
  });

  it.each([
    [
      'not JSON',
      (res: ServerResponse) => res.end('<!doctype html><p>router login'),
      /answered with something that is not JSON \('<!doctype html><p>router login'\): is it a Portal's \/healthz\?/,
    ],
    [
      'JSON of the wrong shape',
      (res: ServerResponse) =>
        res.end(
          JSON.stringify({
            status: 'ok',
            uptimeSeconds: 3,
            rooms: 0,
            sites: 0,
            connections: 0,
            kiosks: [{ site: 'dublin' }],
          }),
        ),
      /answered, but not as a Portal's \/healthz does: `kiosks\.0\.shell` is required\./,
    ],
    [
      'an error status',
      (res: ServerResponse) => {
        res.statusCode = 503;
        res.end('down');
      },
      /answered 503 Service Unavailable: is it a Portal's address\?/,
    ],
  ])('exits 1 with a sentence for an answer that is %s', async (_what, answer, message) => {
    const url = await answering(answer);
    const { code, stdout, stderr } = await status([url]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
  });

  it('exits 1 when nothing listens there, or nothing answers within --timeout', async () => {
    const port = await freePort();
    const refused = await status([`127.0.0.1:${port}`]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`Could not reach http://127.0.0.1:${port}/healthz: nothing is listening there`);

    const silent = await answering(() => {});
    const started = Date.now();
    const hung = await status([silent, '--timeout', '1']);
    expect(hung.code).toBe(1);
    expect(hung.stderr).toContain(`Could not reach ${silent}/healthz: no answer within 1 s.`);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it.each([
    [['--timeout', '0'], /--timeout must be a whole number of seconds from 1 to 60, got '0'/],
    [['http://a', 'http://b'], /Unexpected argument 'http:\/\/b'/],
    [['http://a', '--config', 'c.json'], /Either a URL or --config, not both/],
    [['ftp://a'], /'ftp:\/\/a' is a ftp: URL/],
    [['--colour'], /Unknown option '--colour'/],
  ])('rejects %j with a sentence and exit code 2', async (args, message) => {
    const { code, stderr } = await status(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});
