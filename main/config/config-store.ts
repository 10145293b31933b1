// The kiosk's config file. Saves are atomic and keep a last good copy beside the file; a file
// that is corrupt or invalid falls back to that copy (or to defaults) with a warning for the
// screen and the log, and is kept aside as `.broken` for a person to look at. Never a crash.

import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename } from 'node:fs/promises';
import { hostname, homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Logger } from '../../app/log/logger.js';
import {
  configText,
  defaultConfig,
  parseConfigText,
  PortalConfigSchema,
  type PortalConfig,
} from '../../app/config/portal-config.js';
import { removeStaleTempFiles, writeFileAtomic } from './atomic-file.js';

export type ConfigSource = 'file' | 'last-good' | 'first-start' | 'defaults';

export interface LoadedConfig {
  readonly config: PortalConfig;
  readonly source: ConfigSource;
  /** A sentence for the screen and the log when the file could not be used as it was. */
  readonly warning: string | null;
}

/** docs/surface.md: `portal/config.json` in $XDG_CONFIG_HOME, else ~/.config. */
export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const base = env['XDG_CONFIG_HOME'] || join(home, '.config');
  return join(base, 'portal', 'config.json');
}

export class ConfigStore {
  readonly lastGoodPath: string;

  constructor(
    readonly path: string,
    private readonly logger: Logger,
    private readonly machineName: () => string = hostname,
  ) {
    this.lastGoodPath = `${path}.last-good`;
  }

  async load(): Promise<LoadedConfig> {
    await mkdir(dirname(this.path), { recursive: true });
    await removeStaleTempFiles(this.path);
    await removeStaleTempFiles(this.lastGoodPath);
    const main = await this.read(this.path);
    if (main.kind === 'ok') {
      if (main.migratedFrom !== null) await this.keepMigrated(main.text, main.migratedFrom, main.config);
      return { config: main.config, source: 'file', warning: null };
    }

    const lastGood = await this.read(this.lastGoodPath);
    if (main.kind === 'missing' && lastGood.kind === 'missing') {
      const config = defaultConfig(this.machineName(), randomBytes(18).toString('base64url'));
      await this.save(config);
      this.logger.info('config-first-start', { path: this.path, site: config.site });
      return { config, source: 'first-start', warning: null };
    }

    const problem =
      main.kind === 'missing' ? 'The config file was missing' : `The config file could not be used (${main.error})`;
    if (main.kind === 'invalid') await rename(this.path, `${this.path}.broken`).catch(() => undefined);
    if (lastGood.kind === 'ok') {
      await writeFileAtomic(this.path, configText(lastGood.config));
      const warning = `${problem}; Portal is using the last good settings.${main.kind === 'invalid' ? ` The broken file is kept as ${this.path}.broken.` : ''}`;
      this.logger.warn('config-fallback', { path: this.path, to: 'last-good', reason: problem });
      return { config: lastGood.config, source: 'last-good', warning };
    }
    const config = defaultConfig(this.machineName(), randomBytes(18).toString('base64url'));
    await this.save(config);
    const warning = `${problem}, and no good copy was left; Portal started with default settings. Set the room and key again.`;
    this.logger.warn('config-fallback', { path: this.path, to: 'defaults', reason: problem });
    return { config, source: 'defaults', warning };
  }

  /** Validates, then replaces the last good copy and the file, each atomically. */
  async save(config: PortalConfig): Promise<void> {
    const checked = PortalConfigSchema.parse(config);
    const text = configText(checked);
    await mkdir(dirname(this.path), { recursive: true });
    // The copy first: a kill between the two leaves the file old and the copy new, both valid.
    await writeFileAtomic(this.lastGoodPath, text);
    await writeFileAtomic(this.path, text);
  }

  /**
   * A file of an older version is saved in the current one, the original kept beside it as
   * `config.json.v<N>` (an older Portal can still be pointed at that copy).
   */
  private async keepMigrated(text: string, from: number, config: PortalConfig): Promise<void> {
    await writeFileAtomic(`${this.path}.v${from}`, text);
    await this.save(config);
    this.logger.info('config-migrated', { path: this.path, from, to: config.version });
  }

  private async read(
    path: string,
  ): Promise<
    | { kind: 'ok'; config: PortalConfig; migratedFrom: number | null; text: string }
    | { kind: 'missing' }
    | { kind: 'invalid'; error: string }
  > {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
      return { kind: 'invalid', error: `cannot read it: ${(error as NodeJS.ErrnoException).code ?? 'error'}` };
    }
    const parsed = parseConfigText(text);
    return parsed.ok
      ? { kind: 'ok', config: parsed.config, migratedFrom: parsed.migratedFrom, text }
      : { kind: 'invalid', error: parsed.error };
  }
}
