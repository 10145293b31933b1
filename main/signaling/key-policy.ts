// Who may join which room. Keys are compared in constant time, and a wrong key and an unknown
// room take the same path and give the same answer, so a stranger learns nothing either way.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export type KeyPolicy =
  /** Anyone may join any room; `key` is ignored. */
  | { readonly open: true }
  /** One key for every room. */
  | { readonly key: string }
  /** Only the listed rooms exist, each with its own key. */
  | { readonly rooms: Readonly<Record<string, string>> };

export type KeyCheck = (room: string, key: string | undefined) => boolean;

export function createKeyCheck(policy: KeyPolicy): KeyCheck {
  if ('open' in policy) return () => true;
  if ('key' in policy) {
    if (policy.key.length === 0) throw new Error('The signaling key must not be empty.');
    const expected = digest(policy.key);
    return (_room, key) => timingSafeEqual(digest(key ?? ''), expected);
  }
  const expectedByRoom = new Map(Object.entries(policy.rooms).map(([room, key]) => [room, digest(key)]));
  // Compared against when the room is unknown, so that case costs the same as a wrong key.
  const decoy = digest(randomBytes(32).toString('hex'));
  return (room, key) => {
    const expected = expectedByRoom.get(room);
    const matches = timingSafeEqual(digest(key ?? ''), expected ?? decoy);
    return matches && expected !== undefined;
  };
}

// Hashing first gives both sides the same length, which timingSafeEqual requires, without
// leaking the key's length through an early return.
function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
