// electron-builder cannot run here (it downloads Electron), so this checks its config against
// the build it would package: every file the app loads at run time is in the `files` allowlist,
// nothing else is, and the targets, fuses and deb dependencies are the ones Portal ships with.

import { readdirSync, readFileSync } from 'node:fs';
import { join, matchesGlob, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as {
  files: string[];
  asar: boolean;
  electronFuses: Record<string, boolean>;
  linux: { target: Array<{ target: string; arch: string[] }> };
  deb: { depends: string[] };
};
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string };

function walk(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** electron-builder's reading of the list: included by a pattern, and not excluded by a `!` one. */
function packaged(file: string): boolean {
  const include = config.files.filter((p) => !p.startsWith('!'));
  const exclude = config.files.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  return include.some((p) => matchesGlob(file, p)) && !exclude.some((p) => matchesGlob(file, p));
}

describe('the packaging config', () => {
  it('packages every file the Electron app loads, and no maps, types or sources', () => {
    const built = ['app', 'main', 'native-bridge', 'preload', 'renderer'].flatMap((dir) => walk(join('dist', dir)));
    const runtime = built.filter((file) => !file.endsWith('.map') && !file.endsWith('.d.ts'));
    expect(runtime).toContain(pkg.main);
    expect(runtime).toContain('dist/preload/preload.cjs');
    expect(runtime).toContain('dist/renderer/index.html');
    for (const file of ['package.json', ...runtime]) expect(packaged(file), file).toBe(true);
    for (const file of built.filter((f) => f.endsWith('.map') || f.endsWith('.d.ts')))
      expect(packaged(file), file).toBe(false);
    for (const file of ['main/electron/main.ts', 'renderer/main.ts', 'test/e2e/kiosk.test.ts', 'node_modules/x/y.js'])
      expect(packaged(relative(ROOT, join(ROOT, file))), file).toBe(false);
  });

  it('builds deb and AppImage for x64 and arm64, inside an asar with the fuses set', () => {
    expect(config.linux.target).toEqual([
      { target: 'deb', arch: ['x64', 'arm64'] },
      { target: 'AppImage', arch: ['x64', 'arm64'] },
    ]);
    expect(config.asar).toBe(true);
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      onlyLoadAppFromAsar: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
    });
    expect(config.deb.depends).toEqual(expect.arrayContaining(['libgtk-3-0', 'libnss3', 'libgbm1', 'libasound2']));
  });
});
