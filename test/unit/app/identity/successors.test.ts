import { describe, expect, it } from 'vitest';
import {
  MAX_SUCCESSORS,
  acceptedAs,
  parseSuccessorRecord,
  withSuccessor,
  type SuccessorRecord,
} from '../../../../app/identity/successors.js';

/** A fingerprint made from one byte, repeated. */
const fp = (byte: number): string => Array(32).fill(byte.toString(16).padStart(2, '0').toUpperCase()).join(':');
const PIN = fp(0x10);
const NEXT = fp(0x11);
const AFTER = fp(0x12);
const STRANGER = fp(0xee);

describe("the pinned partner's renewed identities", () => {
  it('accept only the pin while nothing was learned', () => {
    expect(acceptedAs(PIN, null, PIN)).toBe('pinned');
    expect(acceptedAs(PIN, null, NEXT)).toBeNull();
    expect(acceptedAs(PIN, null, null)).toBeNull();
  });

  it('accept the next fingerprint the pinned partner announced, as the pinned site renewed', () => {
    const record = withSuccessor(PIN, null, PIN, NEXT);
    expect(record).toEqual({ pin: PIN, successors: [NEXT] });
    expect(acceptedAs(PIN, record, NEXT)).toBe('renewed');
    expect(acceptedAs(PIN, record, PIN)).toBe('pinned');
    expect(acceptedAs(PIN, record, STRANGER)).toBeNull();
  });

  it('learn nothing from a session whose partner was not the pin nor one of its successors', () => {
    expect(withSuccessor(PIN, null, STRANGER, NEXT)).toBeNull();
    const record = withSuccessor(PIN, null, PIN, NEXT);
    expect(withSuccessor(PIN, record, STRANGER, AFTER)).toBeNull();
  });

  it('follow a chain: the successor of a successor is the pinned site too', () => {
    const once = withSuccessor(PIN, null, PIN, NEXT);
    const twice = withSuccessor(PIN, once, NEXT, AFTER);
    expect(twice).toEqual({ pin: PIN, successors: [NEXT, AFTER] });
    expect(acceptedAs(PIN, twice, AFTER)).toBe('renewed');
  });

  it('keep the last few links of a long chain, forgetting the oldest', () => {
    let record: SuccessorRecord | null = null;
    let from = PIN;
    for (let i = 1; i <= MAX_SUCCESSORS + 2; i++) {
      record = withSuccessor(PIN, record, from, fp(0x20 + i)) ?? record;
      from = fp(0x20 + i);
    }
    expect(record!.successors).toHaveLength(MAX_SUCCESSORS);
    expect(acceptedAs(PIN, record, fp(0x20 + MAX_SUCCESSORS + 2))).toBe('renewed');
    expect(acceptedAs(PIN, record, fp(0x21))).toBeNull();
    expect(acceptedAs(PIN, record, PIN)).toBe('pinned');
  });

  it('replace what came after a fingerprint when the partner announces another next one from it', () => {
    const record = withSuccessor(PIN, withSuccessor(PIN, null, PIN, NEXT), NEXT, AFTER);
    const remade = withSuccessor(PIN, record, PIN, STRANGER);
    expect(remade).toEqual({ pin: PIN, successors: [STRANGER] });
    expect(acceptedAs(PIN, remade, NEXT)).toBeNull();
  });

  it('change nothing when told again what is known, or told of a past identity (no loops)', () => {
    const record = withSuccessor(PIN, withSuccessor(PIN, null, PIN, NEXT), NEXT, AFTER);
    expect(withSuccessor(PIN, record, NEXT, AFTER)).toBeNull();
    expect(withSuccessor(PIN, record, AFTER, PIN)).toBeNull();
    expect(withSuccessor(PIN, record, AFTER, NEXT)).toBeNull();
  });

  it("count for nothing after the admin pins another site (a record is one pin's)", () => {
    const record = withSuccessor(PIN, null, PIN, NEXT);
    expect(acceptedAs(STRANGER, record, NEXT)).toBeNull();
    expect(withSuccessor(STRANGER, record, STRANGER, AFTER)).toEqual({ pin: STRANGER, successors: [AFTER] });
  });

  it('are read back from storage only when well formed', () => {
    expect(parseSuccessorRecord({ pin: PIN.toLowerCase(), successors: [NEXT.replace(/:/g, '')] })).toEqual({
      pin: PIN,
      successors: [NEXT],
    });
    expect(parseSuccessorRecord(null)).toBeNull();
    expect(parseSuccessorRecord('x')).toBeNull();
    expect(parseSuccessorRecord({ pin: PIN })).toBeNull();
    expect(parseSuccessorRecord({ pin: PIN, successors: ['nope'] })).toBeNull();
    expect(parseSuccessorRecord({ pin: PIN, successors: [1] })).toBeNull();
  });
});
