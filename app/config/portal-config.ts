// The kiosk's config file (shared/surface.md: `portal/config.json` in the user's config
// directory, or --config FILE): schema, defaults and one parse function. Versioned, so a later
// format can migrate this one.

import { z } from 'zod';
import { NameSchema } from '../signaling/messages.js';
import { DEFAULT_SIGNAL_PORT, MAX_KEY_LENGTH } from '../signaling/protocol-limits.js';
import { firstIssue } from '../validation/first-issue.js';
import { plainIssueMessage } from '../validation/plain-issue-message.js';
import { CODECS } from './link-settings.js';

export const CONFIG_VERSION = 1;

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
      /** The partner's server when this site does not host one: ws:// or wss:// URL. */
      url: z
        .string()
        .regex(/^wss?:\/\/\S+$/, 'must be a ws:// or wss:// URL')
        .nullable(),
    }),
    camera: z.string().min(1).nullable(),
    width: z.number().int().min(160).max(3840),
    height: z.number().int().min(120).max(2160),
    fps: z.number().int().min(1).max(60),
    audio: z.boolean(),
    codec: z.enum(CODECS).nullable(),
    maxBitrate: z.number().int().min(50).max(100_000).nullable(),
    relay: z.boolean(),
    preview: z.boolean(),
    fit: z.enum(['contain', 'cover']),
  })
  .refine((config) => config.signaling.host || config.signaling.url !== null, {
    message: "must name the partner's signaling server (ws://HOST:8787/signal) when this site does not host one",
    path: ['signaling', 'url'],
  });

export type PortalConfig = z.infer<typeof PortalConfigSchema>;

export type ConfigParse =
  { readonly ok: true; readonly config: PortalConfig } | { readonly ok: false; readonly error: string };

/** Working defaults for a first start: this machine's name as the site, a fresh random key. */
export function defaultConfig(machineName: string, randomKey: string): PortalConfig {
  const site = machineName.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64) || 'portal-site';
  return {
    version: CONFIG_VERSION,
    site,
    room: 'portal',
    key: randomKey,
    signaling: { host: true, port: DEFAULT_SIGNAL_PORT, url: null },
    camera: null,
    width: 1280,
    height: 720,
    fps: 30,
    audio: false,
    codec: null,
    maxBitrate: null,
    relay: false,
    preview: false,
    fit: 'contain',
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
  const version = typeof json === 'object' && json !== null ? (json as { version?: unknown }).version : undefined;
  if (typeof version === 'number' && version > CONFIG_VERSION) {
    return {
      ok: false,
      error: `The config file is version ${version}, newer than this Portal reads (${CONFIG_VERSION}); update Portal.`,
    };
  }
  const parsed = PortalConfigSchema.safeParse(json, { error: plainIssueMessage });
  if (parsed.success) return { ok: true, config: parsed.data };
  const { field, message } = firstIssue(parsed.error, 'config');
  return { ok: false, error: `In the config file, \`${field}\` ${message}.` };
}

export function configText(config: PortalConfig): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}
