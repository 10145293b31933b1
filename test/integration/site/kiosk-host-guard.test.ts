// A kiosk host that hosts signaling listens on every interface; these requests, over real
// sockets, check what each kind of caller gets there: the kiosk's own page, a machine on the
// network (from this machine's own non-loopback address, so the host sees a peer that is not
// loopback), a DNS-rebinding page (a foreign Host), another site's page (a foreign Origin) and
// a caller without the bridge secret.

import { request } from 'node:http';
import { hostname, networkInterfaces } from 'node:os';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../app/config/portal-config.js';
import { silentLogger } from '../../../app/log/logger.js';
import type { HostedDisplay } from '../../../main/display/display-shell.js';
import { startKioskHost, type KioskHost } from '../../../main/site/kiosk-host.js';
import { BUILT_RENDERER_DIR } from '../../../main/site/built-paths.js';
import { linkSettingsFor } from '../../../main/site/site-settings.js';
import { DEFAULT_WATCHDOG } from '../../../main/watchdog/display-watchdog.js';
import { recordingShell } from '../../support/fake-kiosk-host.js';
import { TestSite } from '../../support/test-site.js';

/** This machine's first non-loopback IPv4 address: where "another machine" calls from. */
let lanAddress: string;
beforeAll(() => {
  const found = Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry !== undefined && entry.family === 'IPv4' && !entry.internal)?.address;
  if (found === undefined) {
    throw new Error('This test needs a non-loopback IPv4 address on this machine (ip -4 addr shows none).');
  }
  lanAddress = found;
});

const hosts: KioskHost[] = [];
const sites: TestSite[] = [];
afterEach(async () => {
  for (const site of sites.splice(0)) site.socket.terminate();
  await Promise.all(hosts.splice(0).map((host) => host.stop()));
});

const PARTNER_SIGNAL = 'wss://partner.example.org/signal';

async function hostingKiosk(): Promise<{ port: number; display: HostedDisplay; reports: () => number }> {
  const { shell, shown } = recordingShell(true);
  const config = { ...defaultConfig('dublin', 'k'.repeat(24)), room: 'lobby' };
  const host = await startKioskHost({
    shell,
    displays: [
      {
        site: 'dublin',
        // As a guest site's settings would name its partner's server, for the page's CSP.
        settings: (port) => ({ ...linkSettingsFor(config, port), signal: PARTNER_SIGNAL }),
        warning: null,
        hardwareVideo: 'off',
        profileDir: '/nonexistent',
      },
    ],
    // Hosting, on every interface: as a site whose partner connects to it.
    signaling: { keys: { key: config.key } },
    port: 0,
    staticDir: BUILT_RENDERER_DIR,
    watchdog: DEFAULT_WATCHDOG,
    logger: silentLogger,
  });
  hosts.push(host);
  let reports = 0;
  const display = shown[0]!;
  const reportState = display.handlers.reportState;
  (display.handlers as { reportState: typeof reportState }).reportState = (report) => {
    reports += 1;
    return reportState(report);
  };
  return { port: host.port, display, reports: () => reports };
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** One request with exactly these headers, from `from` (an address of this machine) to `to`. */
function send(
  options: { to: string; port: number; from?: string; method?: string; path: string; headers: Record<string, string> },
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: options.to,
        port: options.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
        setHost: false,
        ...(options.from ? { localAddress: options.from } : {}),
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          // The events stream stays open: its first line is enough.
          if (res.headers['content-type'] === 'application/x-ndjson') res.destroy();
        });
        res.on('close', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const REPORT = JSON.stringify({ state: 'waiting', error: null, partner: null, sessionRepairs: 0, closedUntil: null });

describe("a hosting kiosk's bridge", () => {
  it("answers the kiosk's own page: loopback, its own Host and Origin, the secret", async () => {
    const kiosk = await hostingKiosk();
    const host = `127.0.0.1:${kiosk.port}`;
    const answer = await send(
      {
        to: '127.0.0.1',
        port: kiosk.port,
        method: 'POST',
        path: '/bridge/reportState',
        headers: {
          host,
          origin: `http://${host}`,
          authorization: `Bearer ${kiosk.display.secret}`,
          'content-type': 'application/json',
        },
      },
      REPORT,
    );
    expect({ status: answer.status, body: JSON.parse(answer.body) as unknown }).toEqual({
      status: 200,
      body: { ok: true, result: null },
    });
    expect(kiosk.reports()).toBe(1);
  });

  it('refuses another machine, even with the secret, for calls and the events stream', async () => {
    const kiosk = await hostingKiosk();
    for (const path of ['/bridge/reportState', '/bridge/events', '/bridge/getSettings']) {
      const answer = await send(
        {
          to: lanAddress,
          from: lanAddress,
          port: kiosk.port,
          method: 'POST',
          path,
          headers: { host: `127.0.0.1:${kiosk.port}`, authorization: `Bearer ${kiosk.display.secret}` },
        },
        REPORT,
      );
      expect({ path, status: answer.status, body: JSON.parse(answer.body) as unknown }).toEqual({
        path,
        status: 403,
        body: { ok: false, error: 'Bridge call refused: the bridge answers this machine only.' },
      });
    }
    expect(kiosk.reports()).toBe(0);
    expect(kiosk.display.events.listening).toBe(0);
  });

  it('refuses a call a reverse proxy on this machine relays, with the secret and a loopback Host', async () => {
    const kiosk = await hostingKiosk();
    const relayed: Array<Record<string, string>> = [
      { 'x-forwarded-for': '203.0.113.9' },
      { forwarded: 'for=203.0.113.9' },
      { via: '1.1 caddy' },
    ];
    for (const proxied of relayed) {
      const answer = await send(
        {
          to: '127.0.0.1',
          port: kiosk.port,
          method: 'POST',
          path: '/bridge/reportState',
          headers: { host: `127.0.0.1:${kiosk.port}`, authorization: `Bearer ${kiosk.display.secret}`, ...proxied },
        },
        REPORT,
      );
      expect({ proxied, status: answer.status }).toEqual({ proxied, status: 403 });
    }
    expect(kiosk.reports()).toBe(0);
  });

  it('refuses a page that reached it by another name (DNS rebinding), with the secret', async () => {
    const kiosk = await hostingKiosk();
    for (const host of [`evil.example:${kiosk.port}`, `${lanAddress}:${kiosk.port}`]) {
      const answer = await send(
        {
          to: '127.0.0.1',
          port: kiosk.port,
          method: 'POST',
          path: '/bridge/getSettings',
          headers: { host, origin: `http://${host}`, authorization: `Bearer ${kiosk.display.secret}` },
        },
        'null',
      );
      expect({ host, status: answer.status, body: JSON.parse(answer.body) as unknown }).toEqual({
        host,
        status: 403,
        body: { ok: false, error: 'Bridge call refused: the bridge answers to 127.0.0.1 and localhost only.' },
      });
    }
  });

  it("refuses a call from another site's page, for calls and the events stream", async () => {
    const kiosk = await hostingKiosk();
    for (const path of ['/bridge/getSettings', '/bridge/events']) {
      const answer = await send(
        {
          to: '127.0.0.1',
          port: kiosk.port,
          method: 'POST',
          path,
          headers: {
            host: `127.0.0.1:${kiosk.port}`,
            origin: 'http://evil.example',
            authorization: `Bearer ${kiosk.display.secret}`,
          },
        },
        'null',
      );
      expect({ path, status: answer.status }).toEqual({ path, status: 403 });
      expect(JSON.parse(answer.body)).toEqual({
        ok: false,
        error: "Bridge call refused: it comes from another site than the kiosk's page.",
      });
    }
    expect(kiosk.display.events.listening).toBe(0);
  });

  it('refuses every call and the events stream without the secret, or with another', async () => {
    const kiosk = await hostingKiosk();
    for (const path of ['/bridge/reportState', '/bridge/events', '/bridge/adminStatus']) {
      for (const authorization of [
        undefined,
        'Bearer wrong',
        `Bearer ${kiosk.display.secret}x`,
        kiosk.display.secret,
      ]) {
        const answer = await send(
          {
            to: '127.0.0.1',
            port: kiosk.port,
            method: 'POST',
            path,
            headers: { host: `127.0.0.1:${kiosk.port}`, ...(authorization ? { authorization } : {}) },
          },
          REPORT,
        );
        expect({ path, authorization, status: answer.status }).toEqual({ path, authorization, status: 401 });
      }
    }
    expect(kiosk.reports()).toBe(0);
    expect(kiosk.display.events.listening).toBe(0);
  });

  it('streams events to its own page', async () => {
    const kiosk = await hostingKiosk();
    const answer = await send(
      {
        to: '127.0.0.1',
        port: kiosk.port,
        method: 'POST',
        path: '/bridge/events',
        headers: { host: `localhost:${kiosk.port}`, authorization: `Bearer ${kiosk.display.secret}` },
      },
      'null',
    );
    expect({ status: answer.status, type: answer.headers['content-type'] }).toEqual({
      status: 200,
      type: 'application/x-ndjson',
    });
  });
});

describe("a hosting kiosk's page, health and signaling", () => {
  it('serves the page under its strict CSP, naming the signaling server of its settings', async () => {
    const kiosk = await hostingKiosk();
    const answer = await send({
      to: '127.0.0.1',
      port: kiosk.port,
      path: '/',
      headers: { host: `127.0.0.1:${kiosk.port}` },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('<title>Portal</title>');
    expect(answer.headers).toMatchObject({
      'content-security-policy': expect.stringContaining(
        "connect-src 'self' wss://partner.example.org https://partner.example.org;",
      ),
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
    });
    expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(answer.headers['content-security-policy']).toContain("script-src 'self';");
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(answer.body)?.[1];
    const file = await send({
      to: '127.0.0.1',
      port: kiosk.port,
      path: script!,
      headers: { host: `localhost:${kiosk.port}` },
    });
    expect({ status: file.status, nosniff: file.headers['x-content-type-options'] }).toEqual({
      status: 200,
      nosniff: 'nosniff',
    });
  });

  it('serves the page to the network by its IP address or this machine name, never to a rebound name', async () => {
    const kiosk = await hostingKiosk();
    for (const host of [`${lanAddress}:${kiosk.port}`, `${hostname()}:${kiosk.port}`]) {
      const answer = await send({ to: lanAddress, from: lanAddress, port: kiosk.port, path: '/', headers: { host } });
      expect({ host, status: answer.status }).toEqual({ host, status: 200 });
    }
    const rebound = await send({
      to: lanAddress,
      from: lanAddress,
      port: kiosk.port,
      path: '/',
      headers: { host: `evil.example:${kiosk.port}` },
    });
    expect(rebound.status).toBe(403);
    expect(rebound.body).toMatch(/^This server does not answer to the name 'evil\.example'/);
    expect(rebound.headers['content-security-policy']).toBeUndefined();
  });

  it('answers /healthz and /metrics by any name, as monitoring and the partner probe them', async () => {
    const kiosk = await hostingKiosk();
    for (const path of ['/healthz', '/metrics']) {
      const answer = await send({
        to: lanAddress,
        from: lanAddress,
        port: kiosk.port,
        path,
        headers: { host: `kiosk.monitoring.example:${kiosk.port}`, origin: 'https://other.example' },
      });
      expect({ path, status: answer.status }).toEqual({ path, status: 200 });
    }
  });

  it("lets the partner's page join from its own origin, by any name", async () => {
    const kiosk = await hostingKiosk();
    const site = await TestSite.connect(`ws://${lanAddress}:${kiosk.port}/signal`, {
      origin: 'http://127.0.0.1:8787',
      headers: { host: `portal.partner.example:${kiosk.port}` },
      localAddress: lanAddress,
    });
    sites.push(site);
    site.send({ type: 'join', v: 1, room: 'lobby', site: 'oslo', key: 'k'.repeat(24) });
    expect((await site.next('joined')).peers).toEqual([]);
  });
});

describe("a guest kiosk's page CSP follows its settings", () => {
  it('names the new signaling server in the policy of the next page load, without a restart', async () => {
    const config = { ...defaultConfig('dublin', 'k'.repeat(24)), room: 'lobby' };
    let signal = 'ws://192.0.2.50:8787/signal';
    const settings = (port: number) => ({ ...linkSettingsFor(config, port), signal });
    const { shell, shown } = recordingShell(true);
    const refuse = () => {
      throw new Error('not asked');
    };
    const host = await startKioskHost({
      shell,
      displays: [
        {
          site: 'dublin',
          settings,
          warning: null,
          hardwareVideo: 'off',
          profileDir: '/nonexistent',
          admin: {
            adminStatus: refuse,
            setPin: refuse,
            unlock: refuse,
            getAdminSettings: refuse,
            getLogs: refuse,
            restart: refuse,
            // What the site's admin does: save (here, the server a pairing code names) and answer.
            saveAdminSettings: async ({ settings: next }) => {
              signal = (next as { signal: string }).signal;
              return { settings: settings(8787), restartRequired: false };
            },
          },
        },
      ],
      signaling: null,
      port: 0,
      staticDir: BUILT_RENDERER_DIR,
      watchdog: DEFAULT_WATCHDOG,
      logger: silentLogger,
    });
    hosts.push(host);
    const display = shown[0]!;
    const csp = async () =>
      (await send({ to: '127.0.0.1', port: host.port, path: '/', headers: { host: `127.0.0.1:${host.port}` } }))
        .headers['content-security-policy'];
    const events: unknown[] = [];
    display.events.subscribe((event) => events.push(event));
    expect(await csp()).toContain("connect-src 'self' ws://192.0.2.50:8787 http://192.0.2.50:8787;");

    // Another path on the same server: the page runs on, no restart.
    const save = (next: string) =>
      display.handlers.saveAdminSettings({ token: 't'.repeat(32), settings: { signal: next } as never });
    expect((await save('ws://192.0.2.50:8787/other')).restartRequired).toBe(false);
    await expect.poll(() => events).toEqual(['settingsChanged']);

    // Another server: a link change, so the page loads again, and the policy it then gets names
    // the new server. No restart.
    expect((await save('wss://partner.example.org/signal')).restartRequired).toBe(false);
    expect(await csp()).toContain("connect-src 'self' wss://partner.example.org https://partner.example.org;");
    await expect.poll(() => events).toEqual(['settingsChanged', 'settingsChanged']);
  });
});
