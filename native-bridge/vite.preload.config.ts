import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The Electron preload as one CommonJS script: sandboxed preloads cannot load ES modules or any
// file of ours, only `electron` itself.
export default defineConfig({
  build: {
    outDir: fileURLToPath(new URL('../dist/preload', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    minify: false,
    lib: {
      entry: fileURLToPath(new URL('./preload.ts', import.meta.url)),
      formats: ['cjs'],
      fileName: () => 'preload.cjs',
    },
    rollupOptions: { external: ['electron'] },
  },
});
