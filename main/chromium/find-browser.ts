// The system Chromium: --browser when given, else the first of the usual names on PATH.

import { delimiter, join } from 'node:path';
import { isExecutable } from '../util/processes.js';

export const BROWSER_NAMES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];

export function findBrowser(explicit: string | undefined, path: string = process.env['PATH'] ?? ''): string {
  if (explicit !== undefined) {
    if (!isExecutable(explicit)) throw new Error(`--browser ${explicit} is not an executable file.`);
    return explicit;
  }
  for (const name of BROWSER_NAMES) {
    for (const dir of path.split(delimiter).filter(Boolean)) {
      const candidate = join(dir, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  throw new Error(
    `No Chromium found on PATH (looked for ${BROWSER_NAMES.join(', ')}). Install one (Debian: apt-get install chromium) or pass --browser PATH.`,
  );
}
