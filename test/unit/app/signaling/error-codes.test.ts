import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ERROR_RULES, errorCodeForClose } from '../../../../app/signaling/error-codes.js';

describe('error codes', () => {
  it('match the table in docs/protocol.md, code by code', () => {
    // Read from the public document, not copied from the source: the two must agree.
    const doc = readFileSync(fileURLToPath(new URL('../../../../docs/protocol.md', import.meta.url)), 'utf8');
    const table = doc.slice(doc.indexOf('## Error codes'), doc.indexOf('## Close codes'));
    const documented = Object.fromEntries(
      table
        .split('\n')
        .filter((line) => /^\| `[a-z-]+`/.test(line))
        .map((line) => {
          const [code = '', fatal = '', close = ''] = line
            .split('|')
            .slice(1, -1)
            .map((cell) => cell.trim());
          return [
            code.match(/^`([a-z-]+)`/)![1]!,
            { fatal: fatal.startsWith('yes'), closeCode: close === '' ? null : Number(close) },
          ];
        }),
    );
    expect(documented).toEqual(ERROR_RULES);
    expect(Object.keys(ERROR_RULES).sort()).toEqual([...ERROR_CODES].sort());
  });

  it('names the error behind a close code', () => {
    expect(errorCodeForClose(4409)).toBe('room-full');
    expect(errorCodeForClose(1009)).toBe('too-large');
    expect(errorCodeForClose(1000)).toBeNull();
  });
});
