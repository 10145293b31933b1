import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The renderer is served by `portal serve` from dist/renderer, and later from app:// in Electron:
// relative asset paths keep it working under any base.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
  },
});
