// The kiosk's config file (docs/surface.md: `portal/config.json` in the user's config
// directory, or --config FILE): schema, defaults and one parse function. Versioned: a file of an
// older version is brought up to this one by the migrations in config-migrations.ts.

import { z } from 'zod';
import { NameSchema } from '../signaling/messages.js';
import { DEFAULT_SIGNAL_PORT, MAX_KEY_LENGTH } from '../signaling/protocol-limits.js';
import { firstIssue } from '../validation/first-issue.js';
import { plainIssueMessage } from '../validation/plain-issue-message.js';
import { migrateConfig } from './config-migrations.js';
import { CODECS, DEGRADATIONS, ROTATIONS } from './link-settings.js';
import { IceServerSchema } from '../signaling/messages.js';

export const CONFIG_VERSION = 2;

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

/** The settings a config file and the admin overlay share, field by field. */
export const SETTING_FIELDS = {
  /** STUN and TURN servers; empty: the signaling server's. */
  iceServers: z.array(IceServerSchema).max(16),
  camera: z.string().min(1).nullable(),
  microphone: z.string().min(1).nullable(),
  speaker: z.string().min(1).nullable(),
  width: z.number().int().min(160).max(3840),
  height: z.number().int().min(120).max(2160),
  fps: z.number().int().min(1).max(60),
  audio: z.boolean(),
  /** The partner's sound, 0 to 100. */
  volume: z.number().int().min(0).max(100),
  codec: z.enum(CODECS).nullable(),
  maxBitrate: z.number().int().min(50).max(100_000).nullable(),
  degradation: z.enum(DEGRADATIONS),
  relay: z.boolean(),
  preview: z.boolean(),
  fit: z.enum(['contain', 'cover']),
  mirror: z.boolean(),
  rotation: z.literal(ROTATIONS),
};

/** The partner's signaling server: a ws:// or wss:// URL. */
export const SignalUrlSchema = z.string().regex(/^wss?:\/\/\S+$/, 'must be a ws:// or wss:// URL');

export const PortalConfigSchema = z
  .object({
    version: z.literal(CONFIG_VERSION),
    site: NameSchema,
    room: NameSchema,
    key: z.string().min(1).max(MAX_KEY_LENGTH),
    signaling: z.object({
      /** Run the signaling server in this kiosk. */
      host: z.boolean(),
      port: z.number().int().min(1).max(65535),
      /** The partner's server when this site does not host one. */
      url: SignalUrlSchema.nullable(),
    }),
    ...SETTING_FIELDS,
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

/** Working defaults for a first start: this machine's name as the site, a fresh random key. */
export function defaultConfig(machineName: string, randomKey: string): PortalConfig {
  const site = machineName.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64) || 'portal-site';
  return {
    version: CONFIG_VERSION,
    site,
    room: 'portal',
    key: randomKey,
    signaling: { host: true, port: DEFAULT_SIGNAL_PORT, url: null },
    iceServers: [],
    camera: null,
    microphone: null,
    speaker: null,
    width: 1280,
    height: 720,
    fps: 30,
    audio: false,
    volume: 100,
    codec: null,
    maxBitrate: null,
    degradation: 'maintain-framerate',
    relay: false,
    preview: false,
    fit: 'contain',
    mirror: false,
    rotation: 0,
    pin: null,
  };
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
