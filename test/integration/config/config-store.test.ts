import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../app/config/portal-config.js';
import { createJsonLineLogger } from '../../../main/log/json-line-logger.js';
import { ConfigStore, defaultConfigPath } from '../../../main/config/config-store.js';
import { assertBuilt } from '../../support/built-cli.js';

const WRITER = fileURLToPath(new URL('../../support/config-writer-child.mjs', import.meta.url));

function makeStore(machine = 'kiosk-one') {
  const dir = mkdtempSync(join(tmpdir(), 'portal-config-'));
  const lines: string[] = [];
  const logger = createJsonLineLogger({ name: 'test', write: (line) => lines.push(line) });
  const path = join(dir, 'portal', 'config.json');
  return { dir, path, lines, store: new ConfigStore(path, logger, () => machine) };
}

describe('the config store', () => {
  it('lives at portal/config.json under XDG_CONFIG_HOME, else ~/.config', () => {
    expect(defaultConfigPath({ XDG_CONFIG_HOME: '/x/conf' }, '/home/a')).toBe('/x/conf/portal/config.json');
    expect(defaultConfigPath({}, '/home/a')).toBe('/home/a/.config/portal/config.json');
  });

  it('writes working defaults on a first start, and reads them back after', async () => {
    const { store, path } = makeStore('Kiosk One!');
    const first = await store.load();
    expect(first.source).toBe('first-start');
    expect(first.config).toMatchObject({
      site: 'Kiosk-One-',
      room: 'portal',
      signaling: { host: true, port: 8787, url: null },
    });
    expect(first.config.key.length).toBeGreaterThanOrEqual(20);
    expect(parseConfigText(readFileSync(path, 'utf8'))).toEqual({ ok: true, config: first.config, migratedFrom: null });
    const again = await store.load();
    expect(again).toEqual({ config: first.config, source: 'file', warning: null });
  });

  it('falls back to the last good copy when the file is corrupt, and keeps the broken one', async () => {
    const { store, path, lines } = makeStore();
    const { config } = await store.load();
    await store.save({ ...config, room: 'lobby' });
    writeFileSync(path, '{"version":1,"site":"x", trunc');
    const loaded = await store.load();
    expect(loaded.source).toBe('last-good');
    expect(loaded.config.room).toBe('lobby');
    expect(loaded.warning).toMatch(
      /could not be used \(The config file is not valid JSON\.\); Portal is using the last good settings/,
    );
    expect(readFileSync(`${path}.broken`, 'utf8')).toContain('trunc');
    expect(parseConfigText(readFileSync(path, 'utf8')).ok).toBe(true);
    expect(lines.some((line) => line.includes('"event":"config-fallback"'))).toBe(true);
  });

  it('names the bad field of a valid-JSON but invalid file', async () => {
    const { store, path } = makeStore();
    const { config } = await store.load();
    writeFileSync(path, JSON.stringify({ ...config, width: 'wide' }));
    const loaded = await store.load();
    expect(loaded.source).toBe('last-good');
    expect(loaded.warning).toMatch(/`width` must be a number/);
  });

  it('refuses a file from a newer Portal, saying to update', async () => {
    const { store, path } = makeStore();
    const { config } = await store.load();
    writeFileSync(path, JSON.stringify({ ...config, version: 7 }));
    expect((await store.load()).warning).toMatch(/version 7, newer than this Portal reads \(5\); update Portal/);
  });

  it('brings a version 1 file up to date, keeping the original beside it', async () => {
    const { store, path, lines } = makeStore();
    mkdirSync(dirname(path), { recursive: true });
    const v1 = {
      version: 1,
      site: 'dublin',
      room: 'lobby',
      key: 'k'.repeat(24),
      signaling: { host: false, port: 8787, url: 'ws://10.0.0.2:8787/signal' },
      camera: 'Logitech',
      width: 1920,
      height: 1080,
      fps: 25,
      audio: true,
      codec: 'VP9',
      maxBitrate: 2500,
      relay: false,
      preview: true,
      fit: 'cover',
    };
    writeFileSync(path, JSON.stringify(v1));
    const loaded = await store.load();
    expect(loaded).toMatchObject({ source: 'file', warning: null });
    // Every version 1 setting kept; the new ones with what version 1 did.
    expect(loaded.config).toEqual({
      ...v1,
      signaling: { ...v1.signaling, turn: null },
      version: 5,
      iceServers: [],
      microphone: null,
      speaker: null,
      volume: 100,
      degradation: 'maintain-framerate',
      mirror: false,
      rotation: 0,
      pin: null,
      hardwareVideo: 'auto',
      audioMinutes: 0,
      hours: '24/7',
      timezone: null,
      closedDisplay: 'clock',
      partnerFingerprint: null,
    });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(loaded.config);
    expect(JSON.parse(readFileSync(`${path}.v1`, 'utf8'))).toEqual(v1);
    expect(lines.some((line) => line.includes('"event":"config-migrated"') && line.includes('"from":1'))).toBe(true);
    expect(await store.load()).toEqual({ config: loaded.config, source: 'file', warning: null });
  });

  it('starts with defaults, and says so, when the file and its copy are both broken', async () => {
    const { store, path } = makeStore();
    await store.load();
    writeFileSync(path, 'garbage');
    writeFileSync(`${path}.last-good`, 'more garbage');
    const loaded = await store.load();
    expect(loaded.source).toBe('defaults');
    expect(loaded.warning).toMatch(/no good copy was left; Portal started with default settings/);
    expect((await store.load()).source).toBe('file');
  });

  it('refuses to save an invalid config and leaves the file as it was', async () => {
    const { store, path } = makeStore();
    const { config } = await store.load();
    const before = readFileSync(path, 'utf8');
    await expect(store.save({ ...config, signaling: { ...config.signaling, port: 70_000 } })).rejects.toThrow();
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('always leaves a valid config, old or new, when its writer is killed mid-write', async () => {
    assertBuilt();
    const { store, path, dir } = makeStore();
    await store.load();
    const rooms = new Set<string>();
    for (let round = 0; round < 25; round++) {
      const child = spawn(process.execPath, [WRITER, path], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 40));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      const parsed = parseConfigText(readFileSync(path, 'utf8'));
      expect(parsed.ok, `round ${round}: ${readFileSync(path, 'utf8').slice(0, 200)}`).toBe(true);
      if (parsed.ok) rooms.add(parsed.config.room);
      expect(parseConfigText(readFileSync(`${path}.last-good`, 'utf8')).ok).toBe(true);
    }
    // The writer really was interrupted at different points.
    expect(rooms.size).toBeGreaterThan(5);
    const loaded = await store.load();
    expect(loaded.source).toBe('file');
    expect(readdirSync(join(dir, 'portal')).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(existsSync(`${path}.broken`)).toBe(false);
  });
});
