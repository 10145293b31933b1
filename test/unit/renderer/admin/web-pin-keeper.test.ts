// The web page's keeper of the PIN (local storage, WebCrypto) under forty tries at once: the
// same gate as a kiosk host's, with its lock in storage so a reload does not clear it.

import { describe, expect, it } from 'vitest';
import { PIN_LOCK_MS } from '../../../../app/admin/pin.js';
import { WebAdminBackend } from '../../../../renderer/admin/admin-backend.js';

class MemoryStorage {
  private readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}

describe("the web page's PIN keeper", () => {
  it('locks after five of forty wrong PINs sent at once, across a reload', async () => {
    const storage = new MemoryStorage() as unknown as Storage;
    const keeper = () => new WebAdminBackend(() => ({}) as never, {}, storage);
    await keeper().setPin('2468');
    const page = keeper();
    const answers = await Promise.all(Array.from({ length: 40 }, () => page.unlock('0000')));
    expect(answers.filter((a) => !a.ok && a.lockedMs > 0)).toHaveLength(36);
    const reloaded = keeper();
    expect(await reloaded.unlock('2468')).toMatchObject({ ok: false, triesLeft: 0 });
    expect((await reloaded.status()).lockedMs).toBeGreaterThan(PIN_LOCK_MS - 60_000);
  }, 60_000);
});
