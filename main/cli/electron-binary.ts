// Where the Electron binary is, if `electron` is installed with its binary. Its package
// exports the binary's path and throws when the download step did not run (see .npmrc).

import { createRequire } from 'node:module';

export function electronBinary(): string | null {
  try {
    const path: unknown = createRequire(import.meta.url)('electron');
    return typeof path === 'string' ? path : null;
  } catch {
    return null;
  }
}
