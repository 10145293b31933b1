import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { adminSettingsFromConfig } from '../../../../app/admin/admin-settings.js';
import { PIN_LOCK_MS, type PinHasher } from '../../../../app/admin/pin.js';
import { defaultConfig, type PortalConfig } from '../../../../app/config/portal-config.js';
import { silentLogger } from '../../../../app/log/logger.js';
import type { NetworkInterfaces } from '../../../../main/site/pairing-candidates.js';
import { createSiteAdmin } from '../../../../main/site/site-admin.js';

const fastHasher: PinHasher = {
  salt: () => randomBytes(16).toString('base64'),
  derive: async (pin, salt) => pbkdf2Sync(pin, Buffer.from(salt, 'base64'), 1000, 32, 'sha256').toString('base64'),
};

afterEach(() => void vi.useRealTimers());

function setup() {
  let now = 1_000_000;
  let config: PortalConfig = defaultConfig('dublin', 'k'.repeat(24));
  const saved: PortalConfig[] = [];
  const restart = vi.fn();
  const admin = createSiteAdmin({
    store: { save: async (c: PortalConfig) => void saved.push(c) },
    config: () => config,
    setConfig: (c) => (config = c),
    localPort: () => 8787,
    recentLogs: () => ['{"event":"a"}', '{"event":"b"}'],
    restart,
    logger: silentLogger,
    now: () => now,
    hasher: fastHasher,
  });
  return { admin, saved, restart, config: () => config, advance: (ms: number) => (now += ms) };
}

describe("the kiosk host's admin calls", () => {
  it('sets the first PIN as a hash in the config file, once', async () => {
    const { admin, saved, config } = setup();
    expect(admin.adminStatus(null)).toEqual({ pinSet: false, lockedMs: 0 });
    await expect(admin.setPin({ pin: '12' })).rejects.toThrow('The PIN must be 4 to 12 digits.');
    const { token } = (await admin.setPin({ pin: '2468' })) as { token: string };
    expect(token.length).toBeGreaterThanOrEqual(16);
    expect(saved.at(-1)!.pin).toMatchObject({ algorithm: 'PBKDF2-SHA256' });
    expect(JSON.stringify(saved)).not.toContain('2468');
    expect(config().pin).toEqual(saved.at(-1)!.pin);
    await expect(admin.setPin({ pin: '1357' })).rejects.toThrow(/already set/);
  });

  it('locks after five of forty wrong PINs sent at once, and then refuses the right one', async () => {
    const { admin } = setup();
    await admin.setPin({ pin: '2468' });
    const answers = await Promise.all(Array.from({ length: 40 }, () => admin.unlock({ pin: '0000' })));
    expect(answers.filter((a) => !a.ok && a.lockedMs === 0)).toHaveLength(4);
    expect(answers.filter((a) => !a.ok && a.lockedMs > 0)).toHaveLength(36);
    expect(await admin.unlock({ pin: '2468' })).toMatchObject({ ok: false, lockedMs: PIN_LOCK_MS, triesLeft: 0 });
    expect(admin.adminStatus(null)).toMatchObject({ pinSet: true, lockedMs: PIN_LOCK_MS });
  });

  it('locks for five minutes after five wrong PINs, refusing even the right one meanwhile', async () => {
    const { admin, advance } = setup();
    await admin.setPin({ pin: '2468' });
    for (let i = 4; i >= 1; i--)
      expect(await admin.unlock({ pin: '0000' })).toEqual({ ok: false, lockedMs: 0, triesLeft: i });
    expect(await admin.unlock({ pin: '0000' })).toEqual({ ok: false, lockedMs: PIN_LOCK_MS, triesLeft: 0 });
    expect(await admin.unlock({ pin: '2468' })).toMatchObject({ ok: false, triesLeft: 0 });
    expect(admin.adminStatus(null)).toEqual({ pinSet: true, lockedMs: PIN_LOCK_MS });
    advance(PIN_LOCK_MS);
    expect(await admin.unlock({ pin: '2468' })).toMatchObject({ ok: true, token: expect.any(String) });
  });

  it('reads and saves settings only with a token from the PIN', async () => {
    const { admin, saved, config } = setup();
    const { token } = (await admin.setPin({ pin: '2468' })) as { token: string };
    expect(() => admin.getAdminSettings({ token: 'x'.repeat(32) })).toThrow(/enter the PIN/);
    const read = admin.getAdminSettings({ token }) as { settings: ReturnType<typeof adminSettingsFromConfig> };
    expect(read.settings).toEqual(adminSettingsFromConfig(config()));
    const answer = (await admin.saveAdminSettings({
      token,
      settings: { ...read.settings, iceServers: [...read.settings.iceServers], width: 640, height: 480 },
    })) as { settings: { width: number; signal: string }; restartRequired: boolean };
    expect(answer).toMatchObject({
      settings: { width: 640, signal: 'ws://127.0.0.1:8787/signal' },
      restartRequired: false,
    });
    expect(saved.at(-1)).toMatchObject({ width: 640, height: 480, pin: config().pin });
    const moved = (await admin.saveAdminSettings({
      token,
      settings: { ...read.settings, iceServers: [...read.settings.iceServers], port: 9000 },
    })) as {
      restartRequired: boolean;
    };
    expect(moved.restartRequired).toBe(true);
  });

  it('refuses settings the config schema refuses, saving nothing', async () => {
    const { admin, saved } = setup();
    const { token } = (await admin.setPin({ pin: '2468' })) as { token: string };
    const before = saved.length;
    const read = admin.getAdminSettings({ token }) as { settings: ReturnType<typeof adminSettingsFromConfig> };
    await expect(
      admin.saveAdminSettings({
        token,
        settings: { ...read.settings, iceServers: [...read.settings.iceServers], hostSignaling: false, signal: null },
      }),
    ).rejects.toThrow(/`signaling.url` must name the partner's signaling server/);
    expect(saved.length).toBe(before);
  });

  it('hands out the log lines and restarts after answering', async () => {
    vi.useFakeTimers();
    const { admin, restart } = setup();
    const { token } = (await admin.setPin({ pin: '2468' })) as { token: string };
    expect(admin.getLogs({ token })).toEqual({ lines: ['{"event":"a"}', '{"event":"b"}'] });
    expect(admin.restart({ token })).toBeNull();
    expect(restart).not.toHaveBeenCalled();
    vi.advanceTimersByTime(500);
    expect(restart).toHaveBeenCalledOnce();
  });
});

describe("the kiosk host's pairing addresses", () => {
  it("answers this machine's addresses on the page's port, the LAN first, read anew each time", async () => {
    let interfaces: NetworkInterfaces = {
      docker0: [
        { address: '172.17.0.1', family: 'IPv4', internal: false, netmask: '255.255.0.0', mac: '', cidr: null },
      ],
      eth0: [
        { address: '192.168.1.20', family: 'IPv4', internal: false, netmask: '255.255.255.0', mac: '', cidr: null },
      ],
    };
    const admin = createSiteAdmin({
      store: { save: async () => {} },
      config: () => defaultConfig('dublin', 'k'.repeat(24)),
      setConfig: () => {},
      localPort: () => 9123,
      recentLogs: () => [],
      restart: () => {},
      logger: silentLogger,
      hasher: fastHasher,
      networkInterfaces: () => interfaces,
    });
    const { token } = (await admin.setPin({ pin: '2468' })) as { token: string };
    expect(admin.getAdminSettings({ token })).toMatchObject({
      pairingSignal: 'ws://192.168.1.20:9123/signal',
      pairingSignals: [
        { url: 'ws://192.168.1.20:9123/signal', interface: 'eth0' },
        { url: 'ws://172.17.0.1:9123/signal', interface: 'docker0' },
      ],
    });
    interfaces = { eth0: [{ ...interfaces['eth0']![0]!, address: '192.168.1.77' }] };
    expect(admin.getAdminSettings({ token })).toMatchObject({
      pairingSignal: 'ws://192.168.1.77:9123/signal',
      pairingSignals: [{ url: 'ws://192.168.1.77:9123/signal', interface: 'eth0' }],
    });
  });
});
