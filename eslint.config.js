// One lint setup for the whole repository. The import zones below are design.md's table made
// mechanical: a file that reaches across a layer boundary fails `npm run lint`.

import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = { group: ['node:*'], message: 'app/ and the renderer run without node; put this in main/.' };
const electron = {
  group: ['electron', 'electron/*'],
  message: 'electron belongs in main/electron/ and the preload only.',
};
const simplePeer = { group: ['simple-peer'], message: 'renderer/peer/ is the only place that uses simple-peer.' };
const ws = { group: ['ws'], message: 'ws is for main/signaling/ and tests.' };

/** no-restricted-imports with these pattern groups. */
const forbid = (...patterns) => ['error', { patterns }];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    // Resolves `./x.js` to `./x.ts` as tsc does, so the zones see every relative import.
    settings: {
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          project: ['test/tsconfig.json', 'renderer/tsconfig.json'],
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './app',
              from: ['./main', './renderer', './native-bridge', './test'],
              message: 'app/ imports app/ only.',
            },
            {
              target: './native-bridge',
              from: ['./main', './renderer', './test'],
              message: 'native-bridge/ imports app/ only.',
            },
            { target: './main', from: ['./renderer', './test'], message: 'main/ never imports the renderer.' },
            {
              target: './renderer',
              from: ['./main', './test', './native-bridge'],
              except: ['./contract.ts'],
              message: 'renderer/ imports app/ and, type-only, the bridge contract.',
            },
          ],
        },
      ],
    },
  },
  { files: ['**/*.js', '**/*.mjs'], languageOptions: { globals: globals.node } },
  { files: ['app/**/*.ts'], rules: { 'no-restricted-imports': forbid(nodeBuiltins, electron, simplePeer, ws) } },
  {
    files: ['native-bridge/**/*.ts'],
    ignores: ['native-bridge/preload.ts'],
    rules: { 'no-restricted-imports': forbid(nodeBuiltins, electron, simplePeer, ws) },
  },
  { files: ['native-bridge/preload.ts'], rules: { 'no-restricted-imports': forbid(nodeBuiltins, simplePeer, ws) } },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/electron/**'],
    rules: { 'no-restricted-imports': forbid(electron, simplePeer) },
  },
  { files: ['main/signaling/**/*.ts'], rules: { 'no-restricted-imports': forbid(electron, simplePeer) } },
  { files: ['main/electron/**/*.ts'], rules: { 'no-restricted-imports': forbid(simplePeer) } },
  {
    files: ['renderer/**/*.ts'],
    ignores: ['renderer/peer/**', 'renderer/vite.config.ts'],
    rules: { 'no-restricted-imports': forbid(nodeBuiltins, electron, simplePeer, ws) },
  },
  { files: ['renderer/peer/**/*.ts'], rules: { 'no-restricted-imports': forbid(nodeBuiltins, electron, ws) } },
  prettier,
);
