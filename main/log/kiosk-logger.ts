// A kiosk's logger: JSON lines to stdout at once, and to portal.log beside the config as soon as
// the config directory is known (attachLogFile), so the file holds everything from the config
// load on.

import type { Logger } from '../../app/log/logger.js';
import { createJsonLineLogger } from './json-line-logger.js';
import { openLogFile, type LogFile } from './log-file.js';

/** Lines kept in memory for the admin overlay. */
export const RECENT_LINES = 200;

export interface KioskLogger {
  readonly logger: Logger;
  /** The last RECENT_LINES lines, oldest first. */
  recent(): readonly string[];
  attachLogFile(directory: string): void;
  close(): Promise<void>;
}

export function createKioskLogger(name: string): KioskLogger {
  const recent: string[] = [];
  const sinks: Array<(line: string) => void> = [
    (line) => process.stdout.write(`${line}\n`),
    (line) => {
      recent.push(line);
      if (recent.length > RECENT_LINES) recent.shift();
    },
  ];
  let file: LogFile | null = null;
  return {
    recent: () => recent,
    logger: createJsonLineLogger({ name, write: (line) => sinks.forEach((sink) => sink(line)) }),
    attachLogFile(directory) {
      if (file !== null) return;
      const opened = openLogFile(directory);
      file = opened;
      sinks.push((line) => opened.write(line));
    },
    async close() {
      await file?.close();
    },
  };
}
