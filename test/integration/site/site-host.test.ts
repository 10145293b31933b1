// A kiosk site from a real config file, hosting the real signaling server on a real port, in a
// shell that only remembers what it was asked to show: what the config's signaling.turn gives
// the sites, and where its secret never goes.

import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configText, defaultConfig, type PortalConfig } from '../../../app/config/portal-config.js';
import { createJsonLineLogger } from '../../../main/log/json-line-logger.js';
import { startSite, type RunningSite } from '../../../main/site/site-host.js';
import { DEFAULT_WATCHDOG } from '../../../main/watchdog/display-watchdog.js';
import { recordingShell } from '../../support/fake-kiosk-host.js';
import { freePort } from '../../support/free-port.js';
import { TestSite } from '../../support/test-site.js';

const SECRET = 'turn-secret-kept-by-the-host';
const KEY = 'k'.repeat(24);
const TURN_URLS = ['turn:198.51.100.7:3478?transport=udp', 'turns:turn.example.org:5349?transport=tcp'];

const sites: RunningSite[] = [];
const clients: TestSite[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.socket.terminate();
  await Promise.all(sites.splice(0).map((site) => site.host.stop()));
});

async function startKiosk(turn: PortalConfig['signaling']['turn']) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'portal-site-'));
  const configPath = join(dir, 'config.json');
  const base = defaultConfig('dublin', KEY);
  writeFileSync(configPath, configText({ ...base, room: 'lobby', signaling: { ...base.signaling, port, turn } }));
  const logLines: string[] = [];
  const { shell, shown } = recordingShell();
  const site = await startSite({
    configPath,
    shell,
    staticDir: join(dir, 'no-renderer-here'),
    watchdog: DEFAULT_WATCHDOG,
    logger: createJsonLineLogger({ name: 'test', level: 'debug', write: (line) => logLines.push(line) }),
  });
  sites.push(site);
  return { site, port, configPath, logLines, display: shown[0]! };
}

const joinAs = async (port: number, site: string) => {
  const client = await TestSite.join(`ws://127.0.0.1:${port}/signal`, 'lobby', site, KEY);
  clients.push(client);
  return client;
};

describe('a kiosk site with signaling.turn', () => {
  it("hands the sites in its room TURN credentials for their own names from its server's secret", async () => {
    const { port } = await startKiosk({ urls: TURN_URLS, secret: SECRET, ttl: 7_200 });
    const partner = await joinAs(port, 'oslo');
    const joined = partner.history[0];
    if (joined?.type !== 'joined') throw new Error('the first message is joined');
    expect(joined.iceServersTtl).toBe(7_200);
    expect(joined.iceServers).toEqual([
      { urls: TURN_URLS, username: expect.stringMatching(/^\d+:oslo$/), credential: expect.any(String) },
    ]);
    const { username, credential } = joined.iceServers![0]!;
    expect(Number(username!.split(':')[0])).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 7_200 - 30);
    expect(credential).toBe(createHmac('sha1', SECRET).update(username!).digest('base64'));
  });

  it('hands out no TURN credentials, and no lifetime, without signaling.turn', async () => {
    const { port } = await startKiosk(null);
    const partner = await joinAs(port, 'oslo');
    expect(partner.history[0]).toEqual({ type: 'joined', room: 'lobby', site: 'oslo', peers: [] });
  });

  it("never lets the secret reach the page's settings, the overlay, the log, /healthz or /metrics", async () => {
    const { port, display, logLines, configPath } = await startKiosk({ urls: TURN_URLS, secret: SECRET, ttl: 600 });
    const partner = await joinAs(port, 'oslo');
    partner.send({ type: 'ice-servers' });
    await partner.next('ice-servers');
    partner.send({ type: 'signal', data: 'hello' });

    const { handlers } = display;
    const seen: unknown[] = [await handlers.getSettings(null)];
    const { token } = await handlers.setPin({ pin: '482916' });
    seen.push(await handlers.getAdminSettings({ token }));
    const admin = await handlers.getAdminSettings({ token });
    // An overlay save rewrites the file from the settings it knows: the TURN server stays in it.
    seen.push(await handlers.saveAdminSettings({ token, settings: { ...admin.settings, volume: 40 } }));
    expect(JSON.parse(readFileSync(configPath, 'utf8')).signaling.turn).toEqual({
      urls: TURN_URLS,
      secret: SECRET,
      ttl: 600,
    });
    seen.push(await handlers.getLogs({ token }));
    seen.push(await (await fetch(`http://127.0.0.1:${port}/healthz`)).text());
    seen.push(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
    seen.push(logLines);
    seen.push(partner.history);

    // The partner did get credentials, and the log did record the events: there was something to leak.
    expect(partner.history.filter((message) => message.type === 'ice-servers')).toHaveLength(1);
    expect(logLines.some((line) => line.includes('"event":"ice-servers"'))).toBe(true);
    for (const what of seen) expect(JSON.stringify(what)).not.toContain(SECRET);
  });
});
