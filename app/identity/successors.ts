// The pinned partner's renewed identities. A site that pins P, told over a session whose partner
// presented P (checked against the pin from the live connection's stats) that the partner's next
// fingerprint is N, keeps "after P comes N" in its page's storage, and from then on accepts N as
// the pinned site. Told again by N, it accepts N's next, and so on: a chain from the pin, of which
// the last few links are kept. Nothing a partner says that is not verified counts.

import { parseFingerprint } from './fingerprint.js';

/** The renewed identities kept after a pin; the oldest is forgotten past this. */
export const MAX_SUCCESSORS = 4;

/** The successors learned for one pin, oldest first. */
export interface SuccessorRecord {
  readonly pin: string;
  readonly successors: readonly string[];
}

/** How the partner's `seen` fingerprint stands against `pin`: itself, a renewal of it, or neither. */
export function acceptedAs(
  pin: string,
  record: SuccessorRecord | null,
  seen: string | null,
): 'pinned' | 'renewed' | null {
  if (seen === null) return null;
  if (seen === pin) return 'pinned';
  return successorsOf(pin, record).includes(seen) ? 'renewed' : null;
}

/** The fingerprints accepted as `pin` renewed (none when the record is another pin's). */
export function successorsOf(pin: string, record: SuccessorRecord | null): readonly string[] {
  return record !== null && record.pin === pin ? record.successors : [];
}

/**
 * The record once a session whose partner presented `from` (the pin or one of its successors)
 * said its next is `next`: what came after `from` is replaced by `next` (a partner that made a
 * new next one says so), and at most MAX_SUCCESSORS are kept. Null: nothing to change, because
 * `from` is not accepted for this pin, or `next` is known already or is one of its past ones.
 */
export function withSuccessor(
  pin: string,
  record: SuccessorRecord | null,
  from: string,
  next: string,
): SuccessorRecord | null {
  const chain = [pin, ...successorsOf(pin, record)];
  const at = chain.indexOf(from);
  if (at < 0 || chain[at + 1] === next || chain.slice(0, at + 1).includes(next)) return null;
  return { pin, successors: [...chain.slice(1, at + 1), next].slice(-MAX_SUCCESSORS) };
}

/** A record read back from storage; null when it is not one (storage of another version, edited). */
export function parseSuccessorRecord(raw: unknown): SuccessorRecord | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { pin, successors } = raw as { pin?: unknown; successors?: unknown };
  if (typeof pin !== 'string' || !Array.isArray(successors)) return null;
  const prints = [pin, ...successors].map((p) => (typeof p === 'string' ? parseFingerprint(p) : null));
  if (prints.some((p) => p === null || !p.ok)) return null;
  const [first, ...rest] = prints.map((p) => (p as { text: string }).text);
  return { pin: first!, successors: rest.slice(-MAX_SUCCESSORS) };
}
