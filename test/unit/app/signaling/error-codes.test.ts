import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ERROR_RULES, errorCodeForClose } from '../../../../app/signaling/error-codes.js';

describe('error codes', () => {
  it('match the table in docs/protocol.md', () => {
    expect(ERROR_RULES).toEqual({
      'bad-message': { fatal: false, closeCode: 4400 },
      unauthorized: { fatal: true, closeCode: 4401 },
      'join-timeout': { fatal: true, closeCode: 4408 },
      'room-full': { fatal: true, closeCode: 4409 },
      'rate-limited': { fatal: true, closeCode: 4429 },
      'not-joined': { fatal: false, closeCode: null },
      'no-peer': { fatal: false, closeCode: null },
      replaced: { fatal: true, closeCode: 4001 },
      'too-large': { fatal: true, closeCode: 1009 },
    });
    expect(Object.keys(ERROR_RULES).sort()).toEqual([...ERROR_CODES].sort());
  });

  it('names the error behind a close code', () => {
    expect(errorCodeForClose(4409)).toBe('room-full');
    expect(errorCodeForClose(1009)).toBe('too-large');
    expect(errorCodeForClose(1000)).toBeNull();
  });
});
