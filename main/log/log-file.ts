// The kiosk's log file: `portal.log` in the config directory, rotated by size so months of
// unattended running never fill the disk.

import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { createStream } from 'rotating-file-stream';

export interface LogFile {
  write(line: string): void;
  /**
   * Ends the stream; resolves once the file is closed. A line written after this (a socket
   * that says goodbye once the server has stopped) is appended to the file as it comes, so the
   * file keeps the last lines and a late one is never an error.
   */
  close(): Promise<void>;
}

export interface LogFileOptions {
  /** Rotate when the file passes this size (rotating-file-stream's notation: '1M', '100K'). */
  readonly size: `${number}${'B' | 'K' | 'M'}`;
  /** Rotated files kept; older ones are removed. */
  readonly maxFiles: number;
}

export const DEFAULT_LOG_FILE: LogFileOptions = { size: '1M', maxFiles: 5 };

export const LOG_FILE_NAME = 'portal.log';

export function openLogFile(directory: string, options: LogFileOptions = DEFAULT_LOG_FILE): LogFile {
  const stream = createStream(LOG_FILE_NAME, { path: directory, size: options.size, maxFiles: options.maxFiles });
  const path = join(directory, LOG_FILE_NAME);
  let failed = false;
  const fail = (error: Error): void => {
    // Logging must never take the kiosk down; say it once on stderr and carry on without it.
    if (!failed) process.stderr.write(`portal: the log file in ${directory} failed: ${error.message}\n`);
    failed = true;
  };
  stream.on('error', fail);
  // 'open' until close(); 'closing' while the stream ends (lines wait in `late`); then 'closed',
  // when lines are appended straight to the file, which no stream holds any more.
  let state: 'open' | 'closing' | 'closed' = 'open';
  const late: string[] = [];
  const append = (lines: readonly string[]): void => {
    if (failed || lines.length === 0) return;
    try {
      appendFileSync(path, lines.map((line) => `${line}\n`).join(''));
    } catch (error) {
      fail(error as Error);
    }
  };
  let closing: Promise<void> | null = null;
  return {
    write(line) {
      if (failed) return;
      if (state === 'open') stream.write(`${line}\n`);
      else if (state === 'closing') late.push(line);
      else append([line]);
    },
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        state = 'closing';
        stream.end(() => {
          state = 'closed';
          append(late.splice(0));
          resolve();
        });
      })),
  };
}
