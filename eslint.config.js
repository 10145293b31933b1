// One lint setup for the whole repository. The import rules below are design.md's table made
// mechanical: a file that reaches across a layer boundary fails `npm run lint`. Each layer's
// tsconfig enforces the same from the other side (app/ has no DOM or node types to compile with).

import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const banned = {
  node: { group: ['node:*'], message: 'app/ and the renderer run without node; put this in main/.' },
  electron: { regex: '^electron(/|$)', message: 'electron belongs in main/electron/ and the preload only.' },
  simplePeer: { group: ['simple-peer'], message: 'renderer/peer/ is the only place that uses simple-peer.' },
  ws: { group: ['ws'], message: 'ws is for main/signaling/ and tests.' },
};

/**
 * main/'s folders from the top (imports everything below) to the bottom (imports none above):
 * the CLI starts hosts, the Electron main process runs a site, a site (kiosk-host) serves the
 * Chromium shell's HTTP bridge, both shells speak display's words, and the rest are parts any of
 * them use. Folders in one row are siblings and import none of each other, so every import
 * between folders goes down a row and there is no cycle. A folder that needs a sibling moves
 * down a row (or the sibling up), here, on purpose.
 */
const MAIN_ORDER = [
  ['cli'],
  ['electron'],
  ['site'],
  ['chromium'],
  ['display'],
  ['autostart', 'config', 'signaling', 'supervisor', 'watchdog'],
  ['log', 'util'],
];

/** A relative import that lands in one of these top-level folders. */
const into = (folders, message) => ({ regex: `^\\.\\.?/(\\.\\./)*(${folders.join('|')})/`, message });

const zones = {
  app: into(['main', 'renderer', 'native-bridge', 'test'], 'app/ imports app/ only.'),
  bridge: into(['main', 'renderer', 'test'], 'native-bridge/ imports app/ only.'),
  main: into(['renderer', 'test'], 'main/ never imports the renderer or tests.'),
  renderer: into(['main', 'test'], 'renderer/ imports app/ and, type-only, the bridge contract.'),
  /** The renderer runs the bridge's schemas from app/bridge/; the contract it may only name as types. */
  rendererBridge: {
    regex: '^\\.\\.?/(\\.\\./)*native-bridge/',
    allowTypeImports: true,
    message: 'renderer/ imports the bridge contract for its types only (import type); its schemas are in app/bridge/.',
  },
};

/** no-restricted-imports with these patterns (typescript-eslint's, which knows type-only imports). */
const restrict = (...patterns) => ({
  'no-restricted-imports': 'off',
  '@typescript-eslint/no-restricted-imports': ['error', { patterns }],
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['**/*.js', '**/*.mjs'], languageOptions: { globals: globals.node } },
  { files: ['app/**/*.ts'], rules: restrict(banned.node, banned.electron, banned.simplePeer, banned.ws, zones.app) },
  {
    files: ['native-bridge/**/*.ts'],
    ignores: ['native-bridge/preload.ts', 'native-bridge/vite.preload.config.ts'],
    rules: restrict(banned.node, banned.electron, banned.simplePeer, banned.ws, zones.bridge),
  },
  { files: ['native-bridge/preload.ts'], rules: restrict(banned.node, banned.simplePeer, banned.ws, zones.bridge) },
  { files: ['main/**/*.ts'], rules: restrict(banned.electron, banned.simplePeer, zones.main) },
  // The folders of main/ depend on each other one way, top to bottom (MAIN_ORDER): a folder
  // imports only folders in rows below its own, so there is no cycle between them.
  ...MAIN_ORDER.flatMap((row, rank) =>
    row.map((folder) => {
      const above = [...MAIN_ORDER.slice(0, rank).flat(), ...row.filter((other) => other !== folder)];
      return {
        files: [`main/${folder}/**/*.ts`],
        rules: restrict(
          ...(folder === 'electron' ? [] : [banned.electron]),
          banned.simplePeer,
          zones.main,
          ...(above.length === 0
            ? []
            : [
                {
                  // `../x/`, `../../x/` from a subfolder, or `../../main/x/`: any way into another folder.
                  regex: `^(\\.\\./)+(main/)?(${above.join('|')})/`,
                  message: `main/${folder}/ may import only folders in rows below its own (${MAIN_ORDER.map((r) => r.join(', ')).join(' > ')}): no cycles between main/'s folders; see MAIN_ORDER in eslint.config.js.`,
                },
              ]),
        ),
      };
    }),
  ),
  {
    files: ['renderer/**/*.ts'],
    ignores: ['renderer/peer/**', 'renderer/vite.config.ts'],
    rules: restrict(banned.node, banned.electron, banned.simplePeer, banned.ws, zones.renderer, zones.rendererBridge),
  },
  {
    files: ['renderer/peer/**/*.ts'],
    rules: restrict(banned.node, banned.electron, banned.ws, zones.renderer, zones.rendererBridge),
  },
  prettier,
);
