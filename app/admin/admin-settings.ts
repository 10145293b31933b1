// The admin overlay's settings: one field per control (named by its visible label), one parse
// from what the controls hold to typed settings with a message per wrong field, and the ways to
// and from the two places settings live: a host's config file, and a web page's URL parameters
// (with the page's saved changes layered over them).

import { z } from 'zod';
import type { LinkSettings, Rotation } from '../config/link-settings.js';
import { CODECS, DEGRADATIONS, ROTATIONS } from '../config/link-settings.js';
import { SETTING_FIELDS, SignalUrlSchema, type PortalConfig } from '../config/portal-config.js';
import { NameSchema, type IceServer } from '../signaling/messages.js';
import { MAX_KEY_LENGTH, NAME_PATTERN } from '../signaling/protocol-limits.js';
import { describeValue } from '../validation/describe-value.js';

/** Every control of the settings form and its label. */
export const ADMIN_FIELDS = {
  site: 'Site',
  room: 'Room',
  key: 'Key',
  signal: 'Signaling server',
  hostSignaling: 'Host the signaling server here',
  port: 'Port',
  iceServers: 'ICE servers',
  relay: 'Relay only',
  camera: 'Camera',
  microphone: 'Microphone',
  speaker: 'Speaker',
  resolution: 'Resolution',
  fps: 'Frame rate',
  audio: 'Audio',
  volume: 'Volume',
  mirror: 'Mirror',
  rotation: 'Rotation',
  fit: 'Fit',
  preview: 'Show local preview',
  codec: 'Codec',
  maxBitrate: 'Max bitrate',
  degradation: 'Degradation',
} as const;
export type AdminField = keyof typeof ADMIN_FIELDS;

/** Check boxes hold booleans; every other control a string. */
export const ADMIN_CHECKBOXES = ['hostSignaling', 'relay', 'audio', 'mirror', 'preview'] as const;
type Checkbox = (typeof ADMIN_CHECKBOXES)[number];
export type AdminForm = { [F in AdminField]: F extends Checkbox ? boolean : string };

export const RESOLUTIONS = ['640x480', '1280x720', '1920x1080'] as const;

/** What the overlay edits: the page's settings, and for a host whether it runs the server. */
export type AdminSettings = Omit<LinkSettings, 'iceServers'> & {
  /** A host only: run the signaling server in this kiosk, on `port`. */
  readonly hostSignaling: boolean;
  readonly port: number;
  /** Empty: the signaling server's. */
  readonly iceServers: readonly IceServer[];
};

/** Where the settings are kept: a host's config file, or a web page's storage. */
export type AdminMode = 'host' | 'web';

export type AdminParse =
  | { readonly ok: true; readonly settings: AdminSettings }
  | { readonly ok: false; readonly errors: Partial<Record<AdminField, string>> };

/** Reads the form; every wrong field gets its own message, led by its label. */
export function parseAdminForm(form: AdminForm, mode: AdminMode): AdminParse {
  const errors: Partial<Record<AdminField, string>> = {};
  const fail = <T>(field: AdminField, message: string, fallback: T): T => {
    errors[field] = `${ADMIN_FIELDS[field]} ${message}`;
    return fallback;
  };
  const text = (field: Exclude<AdminField, Checkbox>): string => form[field].trim();
  const name = (field: 'site' | 'room'): string =>
    NAME_PATTERN.test(text(field))
      ? text(field)
      : fail(field, `must be 1-64 characters of A-Z a-z 0-9 . _ -, got ${describeValue(text(field))}.`, '');
  const whole = (field: Exclude<AdminField, Checkbox>, min: number, max: number, unit = ''): number => {
    const raw = text(field);
    const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
    return value >= min && value <= max
      ? value
      : fail(field, `must be a whole number${unit} from ${min} to ${max}, got ${describeValue(raw)}.`, min);
  };
  const oneOf = <T extends string | number>(field: Exclude<AdminField, Checkbox>, options: readonly T[]): T => {
    const raw = text(field);
    const found = options.find((option) => String(option) === raw);
    return found ?? fail(field, `must be one of ${options.join(', ')}, got ${describeValue(raw)}.`, options[0]!);
  };
  const optional = (field: 'camera' | 'microphone' | 'speaker'): string | null => text(field) || null;

  const site = name('site');
  const room = name('room');
  const hostSignaling = mode === 'host' && form.hostSignaling;
  const rawKey = text('key');
  const key =
    rawKey.length > MAX_KEY_LENGTH
      ? fail('key', `must be at most ${MAX_KEY_LENGTH} characters.`, null)
      : rawKey === '' && mode === 'host'
        ? fail('key', 'is needed: both sites use the same key.', null)
        : rawKey || null;
  const rawSignal = text('signal');
  const signal =
    rawSignal === ''
      ? mode === 'host' && !hostSignaling
        ? fail(
            'signal',
            "is needed when this site does not host the server: the partner's ws://HOST:8787/signal.",
            null,
          )
        : null
      : /^wss?:\/\/[^\s/]+\S*$/.test(rawSignal)
        ? rawSignal
        : fail('signal', `must be a ws:// or wss:// URL, got ${describeValue(rawSignal)}.`, null);
  const port = mode === 'host' ? whole('port', 1, 65535) : 8787;
  const iceServers = parseIceServers(text('iceServers'), (message) => fail('iceServers', message, []));
  const resolution = text('resolution').match(/^(\d{3,4})x(\d{3,4})$/);
  const [width, height] =
    resolution &&
    Number(resolution[1]) >= 160 &&
    Number(resolution[1]) <= 3840 &&
    Number(resolution[2]) >= 120 &&
    Number(resolution[2]) <= 2160
      ? [Number(resolution[1]), Number(resolution[2])]
      : fail(
          'resolution',
          `must be one of ${RESOLUTIONS.join(', ')}, got ${describeValue(text('resolution'))}.`,
          [0, 0],
        );
  const rawBitrate = text('maxBitrate');
  const maxBitrate = rawBitrate === '' ? null : whole('maxBitrate', 50, 100_000, ' of kbit/s (or empty for no cap)');
  const rawCodec = text('codec');
  const codec = rawCodec === '' ? null : oneOf('codec', CODECS);

  const settings: AdminSettings = {
    site,
    room,
    key,
    signal,
    hostSignaling,
    port,
    iceServers,
    relay: form.relay,
    camera: optional('camera'),
    microphone: optional('microphone'),
    speaker: optional('speaker'),
    width,
    height,
    fps: whole('fps', 1, 60),
    audio: form.audio,
    volume: whole('volume', 0, 100),
    mirror: form.mirror,
    rotation: Number(oneOf('rotation', ROTATIONS.map(String))) as Rotation,
    fit: oneOf('fit', ['contain', 'cover'] as const),
    preview: form.preview,
    codec,
    maxBitrate,
    degradation: oneOf('degradation', DEGRADATIONS),
  };
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, settings };
}

/**
 * One ICE server a line: `stun:HOST:PORT`, or `turn:HOST:PORT USERNAME CREDENTIAL` (also
 * `turns:`). Empty: the signaling server's.
 */
export function parseIceServers(text: string, fail: (message: string) => IceServer[]): IceServer[] {
  const servers: IceServer[] = [];
  const lines = text.split('\n').map((line) => line.trim());
  for (const [index, line] of lines.entries()) {
    if (line === '') continue;
    const [url, username, credential, ...extra] = line.split(/\s+/);
    const where = `line ${index + 1}`;
    if (!/^(stun|turns?):\S+$/.test(url!) || extra.length > 0) {
      return fail(`${where} must be a stun: or turn: URL, then for TURN a username and a credential.`);
    }
    if (url!.startsWith('turn') && (username === undefined || credential === undefined)) {
      return fail(`${where}: a TURN server needs a username and a credential after its URL.`);
    }
    servers.push({
      urls: url!,
      ...(username === undefined ? {} : { username }),
      ...(credential === undefined ? {} : { credential }),
    });
  }
  return servers.length > 16 ? fail('can list at most 16 servers.') : servers;
}

export function iceServersText(servers: readonly IceServer[]): string {
  return servers
    .flatMap((server) =>
      (Array.isArray(server.urls) ? server.urls : [server.urls]).map((url) =>
        [url, server.username, server.credential].filter((part) => part !== undefined).join(' '),
      ),
    )
    .join('\n');
}

/** What the controls show for some settings. */
export function adminForm(settings: AdminSettings): AdminForm {
  return {
    site: settings.site,
    room: settings.room,
    key: settings.key ?? '',
    signal: settings.signal ?? '',
    hostSignaling: settings.hostSignaling,
    port: String(settings.port),
    iceServers: iceServersText(settings.iceServers),
    relay: settings.relay,
    camera: settings.camera ?? '',
    microphone: settings.microphone ?? '',
    speaker: settings.speaker ?? '',
    resolution: `${settings.width}x${settings.height}`,
    fps: String(settings.fps),
    audio: settings.audio,
    volume: String(settings.volume),
    mirror: settings.mirror,
    rotation: String(settings.rotation),
    fit: settings.fit,
    preview: settings.preview,
    codec: settings.codec ?? '',
    maxBitrate: settings.maxBitrate === null ? '' : String(settings.maxBitrate),
    degradation: settings.degradation,
  };
}

const common = (s: LinkSettings | PortalConfig) => ({
  site: s.site,
  room: s.room,
  relay: s.relay,
  camera: s.camera,
  microphone: s.microphone,
  speaker: s.speaker,
  width: s.width,
  height: s.height,
  fps: s.fps,
  audio: s.audio,
  volume: s.volume,
  mirror: s.mirror,
  rotation: s.rotation,
  fit: s.fit,
  preview: s.preview,
  codec: s.codec,
  maxBitrate: s.maxBitrate,
  degradation: s.degradation,
});

export function adminSettingsFromConfig(config: PortalConfig): AdminSettings {
  return {
    ...common(config),
    key: config.key,
    signal: config.signaling.url,
    hostSignaling: config.signaling.host,
    port: config.signaling.port,
    iceServers: config.iceServers,
  };
}

/** The config with the settings in; its version and PIN stay as they are. */
export function configWithAdminSettings(config: PortalConfig, settings: AdminSettings): PortalConfig {
  const { key, signal, hostSignaling, port, iceServers, ...rest } = settings;
  return {
    ...config,
    ...rest,
    key: key ?? config.key,
    signaling: { host: hostSignaling, port, url: signal },
    iceServers: [...iceServers],
  };
}

export function adminSettingsFromLink(link: LinkSettings): AdminSettings {
  return {
    ...common(link),
    key: link.key,
    signal: link.signal,
    hostSignaling: false,
    port: 8787,
    iceServers: link.iceServers ?? [],
  };
}

export function linkWithAdminSettings(settings: AdminSettings): LinkSettings {
  const { hostSignaling: _host, port: _port, iceServers, ...rest } = settings;
  return { ...rest, iceServers: iceServers.length > 0 ? [...iceServers] : null };
}

/**
 * The pairing code a site gives its partner: room, key and signaling server in one string to
 * copy. `portal-pair:` then URI-encoded fields.
 */
export function pairingCode(room: string, key: string | null, signal: string | null): string {
  const part = (name: string, value: string | null) => (value === null ? '' : `;${name}=${encodeURIComponent(value)}`);
  return `portal-pair:v1${part('room', room)}${part('key', key)}${part('signal', signal)}`;
}

export type PairingParse =
  | { readonly ok: true; readonly room: string; readonly key: string | null; readonly signal: string | null }
  | { readonly ok: false; readonly error: string };

export function parsePairingCode(code: string): PairingParse {
  const trimmed = code.trim();
  if (!trimmed.startsWith('portal-pair:v1')) {
    return { ok: false, error: 'A pairing code starts with portal-pair:v1; copy it whole from the other site.' };
  }
  const fields: Record<string, string> = {};
  for (const part of trimmed.slice('portal-pair:v1'.length).split(';').filter(Boolean)) {
    const [name, value] = part.split('=', 2);
    try {
      if (name !== undefined && value !== undefined) fields[name] = decodeURIComponent(value);
    } catch {
      return { ok: false, error: 'The pairing code is damaged; copy it again from the other site.' };
    }
  }
  const room = fields['room'];
  if (room === undefined || !NAME_PATTERN.test(room)) {
    return { ok: false, error: 'The pairing code has no valid room; copy it again from the other site.' };
  }
  const signal = fields['signal'] ?? null;
  if (signal !== null && !/^wss?:\/\/\S+$/.test(signal)) {
    return { ok: false, error: 'The pairing code names no usable signaling server.' };
  }
  return { ok: true, room, key: fields['key'] ?? null, signal };
}

/** AdminSettings as a schema, for the bridge (a host parses what the page sends) and storage. */
export const AdminSettingsSchema = z.strictObject({
  site: NameSchema,
  room: NameSchema,
  key: z.string().min(1).max(MAX_KEY_LENGTH).nullable(),
  signal: SignalUrlSchema.nullable(),
  hostSignaling: z.boolean(),
  port: z.number().int().min(1).max(65535),
  ...SETTING_FIELDS,
}) satisfies z.ZodType<AdminSettings>;
