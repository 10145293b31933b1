import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { openLogFile } from '../../../main/log/log-file.js';

describe('the log file', () => {
  it('rotates by size and keeps only the newest files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portal-log-'));
    const file = openLogFile(dir, { size: '20K', maxFiles: 2 });
    const padding = 'x'.repeat(200);
    for (let i = 0; i < 1_000; i++) {
      file.write(JSON.stringify({ event: 'line', i, padding }));
      if (i % 100 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await file.close();
    const names = readdirSync(dir);
    const total = names.reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
    // ~220 KB written; the current file and two rotated ones stay, about 60 KB at most, beside
    // rotating-file-stream's own index of rotated files (portal.log.txt).
    const logs = names.filter((name) => name !== 'portal.log.txt');
    expect(logs).toContain('portal.log');
    expect(logs.length).toBeLessThanOrEqual(3);
    expect(total).toBeLessThan(80 * 1024);
    expect(readFileSync(join(dir, 'portal.log'), 'utf8')).toContain('"i":999');
  });

  it('keeps the lines written while it closes and after, in order, and never fails on them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portal-log-'));
    const stderr = vi.spyOn(process.stderr, 'write');
    try {
      const file = openLogFile(dir);
      file.write('{"i":1}');
      const closed = file.close();
      // A socket's goodbye logged while the stream ends, and another once it has.
      file.write('{"i":2}');
      await closed;
      file.write('{"i":3}');
      await file.close();
      expect(readFileSync(join(dir, 'portal.log'), 'utf8')).toBe('{"i":1}\n{"i":2}\n{"i":3}\n');
      expect(stderr.mock.calls.map((call) => String(call[0])).filter((text) => text.includes('log file'))).toEqual([]);
    } finally {
      stderr.mockRestore();
    }
  });
});
