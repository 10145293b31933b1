// The kiosk's config file (docs/surface.md: `portal/config.json` in the user's config
// directory, or --config FILE): schema, defaults and one parse function, derived from the
// settings registry. Versioned: a file of an older version is brought up to this one by
// config-migrations.ts.

import { z } from 'zod';
import {
  settingOf,
  SETTING_NAMES,
  SETTINGS,
  defaultSettings,
  type AllSettings,
  type SettingName,
} from '../settings/registry.js';
import { MAX_KEY_LENGTH } from '../signaling/protocol-limits.js';
import { firstIssue } from '../validation/first-issue.js';
import { plainIssueMessage } from '../validation/plain-issue-message.js';
import { migrateConfig } from './config-migrations.js';
import { TurnConfigSchema } from './turn-config.js';

export const CONFIG_VERSION = 5;

/** The admin PIN, only ever as a salted slow hash (PBKDF2-SHA256). */
export const PinRecordSchema = z.object({
  algorithm: z.literal('PBKDF2-SHA256'),
  iterations: z.number().int().min(100_000).max(10_000_000),
  /** base64 */
  salt: z.string().min(16).max(128),
  /** base64 */
  hash: z.string().min(16).max(128),
});
export type PinRecord = z.infer<typeof PinRecordSchema>;

/** The settings the config file keeps under `signaling` rather than at the top (their configPath). */
type Nested = 'signal' | 'hostSignaling' | 'port';
type TopLevel = Exclude<SettingName, Nested>;
const TOP_LEVEL = SETTING_NAMES.filter((name) => settingOf(name).configPath === undefined) as TopLevel[];

const topLevelFields = Object.fromEntries(TOP_LEVEL.map((name) => [name, SETTINGS[name].value])) as {
  [N in TopLevel]: (typeof SETTINGS)[N]['value'];
};

export const PortalConfigSchema = z
  .object({
    version: z.literal(CONFIG_VERSION),
    ...topLevelFields,
    // A kiosk always has a key: both sites must send it.
    key: z.string().min(1).max(MAX_KEY_LENGTH),
    signaling: z.object({
      host: SETTINGS.hostSignaling.value,
      port: SETTINGS.port.value,
      url: SETTINGS.signal.value,
      // Not a setting of the page: its secret stays in this file and the host's server, which
      // hands the sites credentials made from it. Missing in older files, and that is null.
      turn: TurnConfigSchema.nullable().default(null),
    }),
    pin: PinRecordSchema.nullable(),
  })
  .refine((config) => config.signaling.host || config.signaling.url !== null, {
    message: "must name the partner's signaling server (ws://HOST:8787/signal) when this site does not host one",
    path: ['signaling', 'url'],
  });

export type PortalConfig = z.infer<typeof PortalConfigSchema>;

export type ConfigParse =
  | {
      readonly ok: true;
      readonly config: PortalConfig;
      /** The version the file had when it was older than this one, else null. */
      readonly migratedFrom: number | null;
    }
  | { readonly ok: false; readonly error: string };

/** Every setting as the config holds it (its key is never null there). */
export function settingsFromConfig(config: PortalConfig): AllSettings {
  const settings = Object.fromEntries(
    SETTING_NAMES.map((name) => {
      const path = settingOf(name).configPath;
      const value =
        path === undefined
          ? config[name as TopLevel]
          : (config as unknown as Record<string, Record<string, unknown>>)[path[0]]![path[1]];
      return [name, value];
    }),
  );
  return settings as AllSettings;
}

/** The config with these settings in; its version and PIN stay, and a null key keeps the old one. */
export function configWithSettings(config: PortalConfig, settings: AllSettings): PortalConfig {
  const next: Record<string, unknown> = { ...config, signaling: { ...config.signaling } };
  for (const name of SETTING_NAMES) {
    const path = settingOf(name).configPath;
    if (path === undefined) next[name] = settings[name];
    else (next[path[0]] as Record<string, unknown>)[path[1]] = settings[name];
  }
  next['key'] = settings.key ?? config.key;
  return next as PortalConfig;
}

/** Working defaults for a first start: this machine's name as the site, a fresh random key. */
export function defaultConfig(machineName: string, randomKey: string): PortalConfig {
  const site = machineName.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64) || 'portal-site';
  const base = {
    version: CONFIG_VERSION,
    key: randomKey,
    signaling: { host: true, port: 8787, url: null, turn: null },
    pin: null,
  } as unknown as PortalConfig;
  return configWithSettings(base, { ...defaultSettings(), site, key: randomKey });
}

/** The text of a config file to a config, or one sentence naming what is wrong. */
export function parseConfigText(text: string): ConfigParse {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: 'The config file is not valid JSON.' };
  }
  const migrated = migrateConfig(json, CONFIG_VERSION);
  if (!migrated.ok) return migrated;
  const parsed = PortalConfigSchema.safeParse(migrated.value, { error: plainIssueMessage });
  if (parsed.success) return { ok: true, config: parsed.data, migratedFrom: migrated.from };
  const { field, message } = firstIssue(parsed.error, 'config');
  return { ok: false, error: `In the config file, \`${field}\` ${message}.` };
}

export function configText(config: PortalConfig): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}
