// Where the build puts what the hosts load: dist/renderer (Vite) and dist/preload (the Electron
// preload), beside dist/main where this file runs from.

import { fileURLToPath } from 'node:url';

export const BUILT_RENDERER_DIR = fileURLToPath(new URL('../../renderer/', import.meta.url));
export const BUILT_PRELOAD = fileURLToPath(new URL('../../preload/preload.cjs', import.meta.url));
/** The app directory Electron runs (its package.json names dist/main/electron/main.js). */
export const APP_DIR = fileURLToPath(new URL('../../../', import.meta.url));
