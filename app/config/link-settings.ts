// The settings a portal page runs with, from docs/surface.md's URL parameters. The same shape
// will come from the config file through the native bridge; either way it is parsed here.

import { z } from 'zod';
import { describeValue } from '../validation/describe-value.js';
import { IceServerSchema, NameSchema, type IceServer } from '../signaling/messages.js';
import { MAX_KEY_LENGTH } from '../signaling/protocol-limits.js';

export const CODECS = ['VP8', 'VP9', 'H264', 'AV1'] as const;
export type Codec = (typeof CODECS)[number];
/** RTCRtpSendParameters.degradationPreference: what gives way when bandwidth or CPU runs short. */
export const DEGRADATIONS = ['maintain-framerate', 'maintain-resolution', 'balanced'] as const;
export type Degradation = (typeof DEGRADATIONS)[number];
/** Turns of the picture, for displays mounted in portrait. */
export const ROTATIONS = [0, 90, 180, 270] as const;
export type Rotation = (typeof ROTATIONS)[number];

export interface LinkSettings {
  readonly room: string;
  readonly site: string;
  readonly key: string | null;
  /** Signaling WebSocket URL; null: same origin, /signal. */
  readonly signal: string | null;
  /** A deviceId, part of a label, 'test-pattern', or null for the first camera. */
  readonly camera: string | null;
  /** A deviceId or part of a label; null: the default microphone. */
  readonly microphone: string | null;
  /** An audio output deviceId or part of a label; null: the default speaker. */
  readonly speaker: string | null;
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  readonly audio: boolean;
  /** The partner's sound, 0 to 100. */
  readonly volume: number;
  readonly codec: Codec | null;
  /** kbit/s cap on sent video; null: none. */
  readonly maxBitrate: number | null;
  readonly degradation: Degradation;
  /** null: take the server's `joined.iceServers`. */
  readonly iceServers: readonly IceServer[] | null;
  readonly relay: boolean;
  /** Show the small local preview. */
  readonly preview: boolean;
  /** The partner's picture: letterboxed ('contain') or filling the screen ('cover'). */
  readonly fit: 'contain' | 'cover';
  /** Flip the partner's picture left to right. */
  readonly mirror: boolean;
  /** Turn the pictures on this screen, for a display mounted in portrait. */
  readonly rotation: Rotation;
}

export type SettingsResult =
  | { readonly ok: true; readonly settings: LinkSettings }
  | { readonly ok: false; readonly errors: readonly SettingError[] };

export interface SettingError {
  readonly parameter: string;
  readonly message: string;
}

const wholeNumber = (name: string, min: number, max: number) =>
  z.string().transform((raw, ctx) => {
    const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!(value >= min && value <= max)) {
      ctx.addIssue({
        code: 'custom',
        message: `\`${name}\` must be a whole number from ${min} to ${max}, got ${describeValue(raw)}`,
      });
      return z.NEVER;
    }
    return value;
  });

const flag = (name: string) =>
  z.string().transform((raw, ctx) => {
    if (raw === '1' || raw === 'true') return true;
    if (raw === '0' || raw === 'false') return false;
    ctx.addIssue({ code: 'custom', message: `\`${name}\` must be 1 or 0, got ${describeValue(raw)}` });
    return z.NEVER;
  });

/** Parses the page's URL parameters; every bad or missing one is named in its own message. */
export function parseLinkSettings(params: Readonly<Record<string, string | undefined>>): SettingsResult {
  const errors: SettingError[] = [];
  const take = <T>(parameter: string, schema: z.ZodType<T>, fallback: T): T => {
    const raw = params[parameter];
    if (raw === undefined) return fallback;
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    errors.push({ parameter, message: parsed.error.issues[0]?.message ?? `\`${parameter}\` is invalid` });
    return fallback;
  };
  const required = (parameter: string, what: string): string => {
    const raw = params[parameter];
    if (raw === undefined || raw === '') {
      errors.push({
        parameter,
        message: `\`${parameter}\` is missing: add ${what} to the page address (?${parameter}=...)`,
      });
      return '';
    }
    if (!NameSchema.safeParse(raw).success) {
      errors.push({
        parameter,
        message: `\`${parameter}\` must be 1-64 characters of A-Z a-z 0-9 . _ -, got ${describeValue(raw)}`,
      });
    }
    return raw;
  };

  const room = required('room', 'the room both sites share');
  const site = required('site', "this site's name");
  const key = take(
    'key',
    z
      .string()
      .min(1, '`key` must not be empty')
      .max(MAX_KEY_LENGTH, `\`key\` must be at most ${MAX_KEY_LENGTH} characters`),
    null as string | null,
  );
  const signal = take(
    'signal',
    z.string().refine((raw) => /^wss?:\/\/[^\s]+$/.test(raw), { message: '`signal` must be a ws:// or wss:// URL' }),
    null as string | null,
  );
  const camera = take('camera', z.string().min(1, '`camera` must not be empty'), null as string | null);
  const microphone = take('microphone', z.string().min(1, '`microphone` must not be empty'), null as string | null);
  const speaker = take('speaker', z.string().min(1, '`speaker` must not be empty'), null as string | null);
  const volume = take('volume', wholeNumber('volume', 0, 100), 100);
  const width = take('width', wholeNumber('width', 160, 3840), 1280);
  const height = take('height', wholeNumber('height', 120, 2160), 720);
  const fps = take('fps', wholeNumber('fps', 1, 60), 30);
  const audio = take('audio', flag('audio'), false);
  const codec = take(
    'codec',
    z.string().transform((raw, ctx) => {
      const upper = raw.toUpperCase();
      if ((CODECS as readonly string[]).includes(upper)) return upper as Codec;
      ctx.addIssue({
        code: 'custom',
        message: `\`codec\` must be one of ${CODECS.join(', ')}, got ${describeValue(raw)}`,
      });
      return z.NEVER;
    }),
    null as Codec | null,
  );
  const maxBitrate = take('maxBitrate', wholeNumber('maxBitrate', 50, 100_000), null as number | null);
  const iceServers = take(
    'iceServers',
    z.string().transform((raw, ctx) => {
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: '`iceServers` must be a URL-encoded JSON array of RTCIceServer, and is not JSON',
        });
        return z.NEVER;
      }
      const parsed = z.array(IceServerSchema).safeParse(json);
      if (!parsed.success) {
        ctx.addIssue({
          code: 'custom',
          message: '`iceServers` must be a JSON array of { urls, username?, credential? }',
        });
        return z.NEVER;
      }
      return parsed.data;
    }),
    null as IceServer[] | null,
  );
  const degradation = take(
    'degradation',
    z.enum(DEGRADATIONS, {
      error: (issue) => `\`degradation\` must be one of ${DEGRADATIONS.join(', ')}, got ${describeValue(issue.input)}`,
    }),
    'maintain-framerate' as Degradation,
  );
  const rotation = take(
    'rotation',
    z.string().transform((raw, ctx) => {
      const value = Number(raw);
      if ((ROTATIONS as readonly number[]).includes(value) && /^\d+$/.test(raw)) return value as Rotation;
      ctx.addIssue({ code: 'custom', message: `\`rotation\` must be 0, 90, 180 or 270, got ${describeValue(raw)}` });
      return z.NEVER;
    }),
    0 as Rotation,
  );
  const mirror = take('mirror', flag('mirror'), false);
  const relay = take('relay', flag('relay'), false);
  const preview = take('preview', flag('preview'), false);
  const fit = take(
    'fit',
    z.enum(['contain', 'cover'], {
      error: (issue) => `\`fit\` must be contain or cover, got ${describeValue(issue.input)}`,
    }),
    'contain' as 'contain' | 'cover',
  );

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    settings: {
      room,
      site,
      key,
      signal,
      camera,
      microphone,
      speaker,
      width,
      height,
      fps,
      audio,
      volume,
      codec,
      maxBitrate,
      degradation,
      iceServers,
      relay,
      preview,
      fit,
      mirror,
      rotation,
    },
  };
}

/**
 * Settings as URL parameters, the inverse of parseLinkSettings: a value at its default (null,
 * or the surface's default) is left out. The web page keeps its saved changes in this form.
 */
export function linkParams(settings: LinkSettings): Record<string, string> {
  const params: Record<string, string> = { room: settings.room, site: settings.site };
  const put = (name: string, value: string | number | boolean | null, fallback: string | number | boolean | null) => {
    if (value === null || value === fallback) return;
    params[name] = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
  };
  put('key', settings.key, null);
  put('signal', settings.signal, null);
  put('camera', settings.camera, null);
  put('microphone', settings.microphone, null);
  put('speaker', settings.speaker, null);
  put('width', settings.width, 1280);
  put('height', settings.height, 720);
  put('fps', settings.fps, 30);
  put('audio', settings.audio, false);
  put('volume', settings.volume, 100);
  put('codec', settings.codec, null);
  put('maxBitrate', settings.maxBitrate, null);
  put('degradation', settings.degradation, 'maintain-framerate');
  if (settings.iceServers !== null) params['iceServers'] = JSON.stringify(settings.iceServers);
  put('relay', settings.relay, false);
  put('preview', settings.preview, false);
  put('fit', settings.fit, 'contain');
  put('mirror', settings.mirror, false);
  put('rotation', settings.rotation, 0);
  return params;
}
