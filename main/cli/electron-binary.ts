// Where the Electron binary is: PORTAL_ELECTRON when set, else the `electron` package's own
// binary if its download step ran. The package exports the binary's path and throws when that
// step did not run (see .npmrc: install scripts are off).

import { createRequire } from 'node:module';
import { isExecutable } from '../util/processes.js';
import { UsageError } from '../util/usage-error.js';

export function electronBinary(env: NodeJS.ProcessEnv = process.env): string | null {
  const explicit = env['PORTAL_ELECTRON'];
  if (explicit) {
    if (!isExecutable(explicit))
      throw new UsageError(`PORTAL_ELECTRON is '${explicit}', which is not a program that can be run.`);
    return explicit;
  }
  try {
    const path: unknown = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && isExecutable(path) ? path : null;
  } catch {
    return null;
  }
}
