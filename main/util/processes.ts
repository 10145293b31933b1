// Whether a path is a program this user may run (a browser, an Electron binary). Keeping one
// running is main/supervisor/child-supervisor.ts's.

import { accessSync, constants } from 'node:fs';

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
