// docs/surface.md is the outer surface people and scripts rely on: it must list exactly what
// the code accepts. Each list on the page is read back and compared with the code's own list,
// both ways, so a new flag, parameter, key or state fails here until it is documented, and a
// documented one the code dropped fails too.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../app/config/portal-config.js';
import { parseLinkSettings } from '../../../app/config/link-settings.js';
import { PORTAL_STATES } from '../../../app/link/link-machine.js';
import { COMMANDS } from '../../../main/cli/commands.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const surface = readFileSync(join(ROOT, 'docs/surface.md'), 'utf8');

/** The rows of the table that follows `heading` (a line of the page), as arrays of cells. */
function tableAfter(heading: string): string[][] {
  const lines = surface.split('\n');
  const start = lines.findIndex((line) => line.trim() === heading);
  if (start < 0) throw new Error(`docs/surface.md has no line '${heading}'`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith('|')) {
      if (rows.length > 0) break;
      continue;
    }
    rows.push(
      line
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  }
  return rows.slice(2); // the header row and its rule
}

/** The `code` spans of a cell, each split at dots and commas as the page writes them. */
const codes = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
const flagsIn = (text: string): string[] => [...new Set([...text.matchAll(/--[a-z][a-z-]*/g)].map((m) => m[0]))].sort();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('docs/surface.md', () => {
  it('lists every command, each with exactly the flags its usage gives', () => {
    const rows = tableAfter(
      "## Command line (`portal`, the package's bin: `node dist/main/cli/portal.js` after a build)",
    );
    const documented = new Map(
      rows.map(([command = '']) => [command.match(/`portal ([a-z-]+)/)?.[1] ?? command, command]),
    );
    expect([...documented.keys()].sort()).toEqual(Object.keys(COMMANDS).sort());
    for (const [name, command] of Object.entries(COMMANDS)) {
      expect({ name, flags: flagsIn(documented.get(name)!) }).toEqual({ name, flags: flagsIn(command.usage) });
    }
  });

  it('lists every environment variable the code reads, and no other', () => {
    const sources = ['main', 'app', 'renderer', 'native-bridge'].flatMap((dir) => sourceFiles(join(ROOT, dir)));
    const text = sources.map((file) => readFileSync(file, 'utf8')).join('\n');
    const read = new Set([...text.matchAll(/env(?:\[['"]|\.)([A-Za-z_]+)/g)].map((m) => m[1]!));
    const documented = tableAfter('### Environment').flatMap(([variables = '']) => codes(variables));
    expect(documented.filter((name) => !text.includes(name))).toEqual([]);
    expect([...read].filter((name) => !documented.includes(name))).toEqual([]);
  });

  it('lists exactly the URL parameters the page reads', () => {
    const parsed = parseLinkSettings({ room: 'r', site: 's' });
    if (!parsed.ok) throw new Error('a room and a site are enough');
    const documented = tableAfter('## The renderer as a web page')
      .flatMap(([names = '']) => codes(names))
      .sort();
    expect(documented).toEqual(Object.keys(parsed.settings).sort());
  });

  it('lists exactly the keys of the config file', () => {
    const config = defaultConfig('host', 'key');
    const keys = Object.entries(config).flatMap(([key, value]) =>
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? Object.keys(value).map((inner) => `${key}.${inner}`)
        : [key],
    );
    const documented = tableAfter('## Config file').flatMap(([names = '']) => codes(names));
    expect(documented.sort()).toEqual(keys.sort());
  });

  it('lists exactly the page states', () => {
    const sentence = surface.slice(
      surface.indexOf('is always one of:'),
      surface.indexOf('- `document.documentElement.dataset.portalError`'),
    );
    expect(codes(sentence)).toEqual([...PORTAL_STATES]);
  });
});
