// The kiosk's log file: `portal.log` in the config directory, rotated by size so months of
// unattended running never fill the disk.

import { createStream } from 'rotating-file-stream';

export interface LogFile {
  write(line: string): void;
  close(): Promise<void>;
}

export interface LogFileOptions {
  /** Rotate when the file passes this size (rotating-file-stream's notation: '1M', '100K'). */
  readonly size: `${number}${'B' | 'K' | 'M'}`;
  /** Rotated files kept; older ones are removed. */
  readonly maxFiles: number;
}

export const DEFAULT_LOG_FILE: LogFileOptions = { size: '1M', maxFiles: 5 };

export function openLogFile(directory: string, options: LogFileOptions = DEFAULT_LOG_FILE): LogFile {
  const stream = createStream('portal.log', { path: directory, size: options.size, maxFiles: options.maxFiles });
  let failed = false;
  stream.on('error', (error: Error) => {
    // Logging must never take the kiosk down; say it once on stderr and carry on without it.
    if (!failed) process.stderr.write(`portal: the log file in ${directory} failed: ${error.message}\n`);
    failed = true;
  });
  return {
    write(line) {
      if (!failed) stream.write(`${line}\n`);
    },
    close: () => new Promise<void>((resolve) => stream.end(() => resolve())),
  };
}
