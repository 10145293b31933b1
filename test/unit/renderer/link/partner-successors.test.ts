import { describe, expect, it } from 'vitest';
import { PartnerSuccessors } from '../../../../renderer/link/partner-successors.js';

const fp = (byte: number): string => Array(32).fill(byte.toString(16).padStart(2, '0').toUpperCase()).join(':');
const PIN = fp(0x10);
const NEXT = fp(0x11);

/** The part of Storage the store uses, in memory; `refuse` makes writes throw as a full quota does. */
function fakeStorage(refuse = false): Storage {
  const items = new Map<string, string>();
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => {
      if (refuse) throw new DOMException('quota', 'QuotaExceededError');
      items.set(key, value);
    },
  } as unknown as Storage;
}

describe("the page's store of its pinned partner's renewed identities", () => {
  it('keeps what a verified session said, for the sessions after it (and a page that starts again)', () => {
    const storage = fakeStorage();
    expect(new PartnerSuccessors(() => storage).learn(PIN, PIN, NEXT)).toBe(true);
    expect(new PartnerSuccessors(() => storage).of(PIN)).toEqual([NEXT]);
    expect(storage.getItem('portal.partnerSuccessors')).toBe(JSON.stringify({ pin: PIN, successors: [NEXT] }));
  });

  it('keeps nothing from a session whose partner was not the pin', () => {
    const store = new PartnerSuccessors(() => fakeStorage());
    expect(store.learn(PIN, fp(0xee), NEXT)).toBe(false);
    expect(store.of(PIN)).toEqual([]);
  });

  it('answers nothing learned when the storage refuses or holds something else', () => {
    expect(new PartnerSuccessors(() => fakeStorage(true)).learn(PIN, PIN, NEXT)).toBe(false);
    const storage = fakeStorage();
    storage.setItem('portal.partnerSuccessors', '{not json');
    expect(new PartnerSuccessors(() => storage).of(PIN)).toEqual([]);
  });
});
