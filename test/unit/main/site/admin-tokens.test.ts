import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PinHasher } from '../../../../app/admin/pin.js';
import { defaultConfig, type PortalConfig } from '../../../../app/config/portal-config.js';
import { silentLogger } from '../../../../app/log/logger.js';
import { ADMIN_TOKEN_MS, AdminTokens, MAX_ADMIN_TOKENS } from '../../../../main/site/admin-tokens.js';
import { createSiteAdmin } from '../../../../main/site/site-admin.js';

describe("the admin overlay's tokens", () => {
  it('last thirty minutes, and are forgotten once expired', () => {
    let now = 0;
    const tokens = new AdminTokens(() => now);
    const first = tokens.issue();
    now += ADMIN_TOKEN_MS - 1;
    expect(tokens.valid(first)).toBe(true);
    now += 1;
    expect(tokens.valid(first)).toBe(false);
    expect(tokens.size).toBe(0);
  });

  it('do not pile up over months of unlocking', () => {
    let now = 0;
    const tokens = new AdminTokens(() => now);
    // An unlock every ten minutes for ninety days.
    for (let i = 0; i < 90 * 144; i++) {
      tokens.issue();
      now += 10 * 60_000;
    }
    expect(tokens.size).toBe(2);
  });

  it(`keep at most ${MAX_ADMIN_TOKENS} at once, the oldest going first`, () => {
    const tokens = new AdminTokens(() => 0);
    const issued = Array.from({ length: MAX_ADMIN_TOKENS + 3 }, () => tokens.issue());
    expect(tokens.size).toBe(MAX_ADMIN_TOKENS);
    expect(issued.slice(0, 3).map((t) => tokens.valid(t))).toEqual([false, false, false]);
    expect(issued.slice(3).every((t) => tokens.valid(t))).toBe(true);
    expect(new Set(issued).size).toBe(issued.length);
  });

  it("are what the site's admin calls check: refused after thirty minutes", async () => {
    let now = 1_000_000;
    let config: PortalConfig = defaultConfig('dublin', 'k'.repeat(24));
    const hasher: PinHasher = {
      salt: () => randomBytes(16).toString('base64'),
      derive: async (pin, salt) => pbkdf2Sync(pin, Buffer.from(salt, 'base64'), 1000, 32, 'sha256').toString('base64'),
    };
    const admin = createSiteAdmin({
      store: { save: async () => {} },
      config: () => config,
      setConfig: (c) => (config = c),
      localPort: () => 8787,
      recentLogs: () => ['{"event":"a"}'],
      restart: () => {},
      logger: silentLogger,
      now: () => now,
      hasher,
    });
    const { token } = await admin.setPin({ pin: '2468' });
    expect(await admin.getLogs({ token })).toEqual({ lines: ['{"event":"a"}'] });
    now += ADMIN_TOKEN_MS;
    expect(() => admin.getLogs({ token })).toThrow('The settings are locked again; enter the PIN.');
  });
});
