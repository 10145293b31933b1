// Every setting of a portal, declared once. The page's settings type, its URL parameters (read
// and written), the config file's keys, defaults and migrations, the admin overlay's form and
// the plan for applying a change to a running portal are all derived from this table.
//
// A new setting is one entry here (and a row in docs/surface.md), plus the code that uses it.
// Its `since` is the config version that brings it: raise CONFIG_VERSION with it, and older files
// get its default on the way up.

import { z } from 'zod';
import { IceServerSchema, NameSchema } from '../signaling/messages.js';
import { ALWAYS_OPEN, isTimeZone, parseOpeningHours } from '../schedule/opening-hours.js';
import { MAX_KEY_LENGTH } from '../signaling/protocol-limits.js';
import { FINGERPRINT_RULE, parseFingerprint } from '../identity/fingerprint.js';
import {
  checkedText,
  choice,
  flag,
  json,
  numberChoice,
  orNone,
  setting,
  SignalUrlSchema,
  text,
  wholeNumber,
  type Setting,
} from './setting.js';

export const CODECS = ['VP8', 'VP9', 'H264', 'AV1'] as const;
export type Codec = (typeof CODECS)[number];
/** RTCRtpSendParameters.degradationPreference: what gives way when bandwidth or CPU runs short. */
export const DEGRADATIONS = ['maintain-framerate', 'maintain-resolution', 'balanced'] as const;
export type Degradation = (typeof DEGRADATIONS)[number];
/** Hardware video encode and decode in the kiosk's browser (main/display/hardware-video.ts). */
export const HARDWARE_VIDEO = ['auto', 'on', 'off'] as const;
export type HardwareVideo = (typeof HARDWARE_VIDEO)[number];
/** What a closed site's screen shows: a dimmed closed screen with the time, or nothing (asleep). */
export const CLOSED_DISPLAYS = ['clock', 'off'] as const;
export type ClosedDisplay = (typeof CLOSED_DISPLAYS)[number];
/** Turns of the picture, for displays mounted in portrait. */
export const ROTATIONS = [0, 90, 180, 270] as const;
export type Rotation = (typeof ROTATIONS)[number];

const nameRule = '1-64 characters of A-Z a-z 0-9 . _ -';
const anyText = (max: number) => text(z.string().min(1).max(max), `at most ${max} characters`);
const openingHours = checkedText((raw) => {
  const parsed = parseOpeningHours(raw);
  return parsed.ok ? { ok: true, text: parsed.hours.text } : parsed;
}, `${ALWAYS_OPEN} or a weekly schedule such as mon-fri 08:00-20:00; sat,sun 10:00-16:00`);
const timeZone = checkedText((raw) => {
  const name = raw.trim();
  return name.length <= 64 && isTimeZone(name)
    ? { ok: true, text: name }
    : {
        ok: false,
        error: `must be a time zone name such as Europe/Dublin or America/New_York, got '${name.slice(0, 64)}'`,
      };
}, 'a time zone name such as Europe/Dublin');
const fingerprint = checkedText(parseFingerprint, FINGERPRINT_RULE, { normalizesValue: true });
const iceServers = json(
  z.array(IceServerSchema).max(16),
  'a URL-encoded JSON array of at most 16 RTCIceServer ({ urls, username?, credential? })',
);

export const SETTINGS = {
  // Link: who this site is, where it meets its partner.
  site: setting(text(NameSchema, nameRule), {
    default: 'site',
    example: 'oslo',
    scope: 'page',
    required: "this site's name",
    label: 'Site',
    section: 'link',
    control: { kind: 'text' },
    apply: 'link',
    since: 1,
  }),
  room: setting(text(NameSchema, nameRule), {
    default: 'portal',
    example: 'lobby',
    scope: 'page',
    required: 'the room both sites share',
    label: 'Room',
    section: 'link',
    control: { kind: 'text' },
    apply: 'link',
    since: 1,
  }),
  key: setting(orNone(anyText(MAX_KEY_LENGTH), 'none'), {
    default: null,
    example: 'a-shared-secret',
    scope: 'page',
    label: 'Key',
    section: 'link',
    control: { kind: 'text', secret: true },
    apply: 'link',
    since: 1,
  }),
  signal: setting(orNone(text(SignalUrlSchema, 'a ws:// or wss:// URL'), "the page's own server"), {
    default: null,
    example: 'wss://portal.example.org/signal',
    scope: 'page',
    configPath: ['signaling', 'url'],
    label: 'Signaling server',
    help: "Empty: this page's own server (or, at a kiosk, the one it hosts).",
    section: 'link',
    control: { kind: 'text', placeholder: 'ws://HOST:8787/signal' },
    apply: 'link',
    since: 1,
  }),
  hostSignaling: setting(flag(), {
    default: true,
    example: false,
    scope: 'host',
    configPath: ['signaling', 'host'],
    label: 'Host the signaling server here',
    section: 'link',
    control: { kind: 'checkbox' },
    apply: 'restart',
    since: 1,
  }),
  port: setting(wholeNumber(1, 65535), {
    default: 8787,
    example: 9000,
    scope: 'host',
    configPath: ['signaling', 'port'],
    label: 'Port',
    section: 'link',
    control: { kind: 'text', numeric: true },
    apply: 'restart',
    since: 1,
  }),
  partnerFingerprint: setting(orNone(fingerprint, 'no check: any site with the room key'), {
    default: null,
    example: '3F:A0:5C:11:D2:7E:90:4B:AA:06:E1:38:C5:72:1D:F9:64:0B:8E:23:57:C0:9A:41:EF:12:76:D8:3B:A5:0C:9C',
    scope: 'page',
    label: "Partner's fingerprint",
    help: "The partner site's identity, as its settings show it (pairing by code fills it in). Only that site is shown here. Empty: any site with the room key.",
    section: 'link',
    control: { kind: 'text', placeholder: 'AB:CD:...' },
    apply: 'session',
    since: 5,
  }),

  // Network.
  iceServers: setting(iceServers, {
    default: [],
    example: [{ urls: 'turn:turn.example.org:3478', username: 'u', credential: 'c' }],
    scope: 'page',
    label: 'ICE servers',
    help: "One a line: stun:HOST:PORT, or turn:HOST:PORT USERNAME CREDENTIAL. Empty: the signaling server's.",
    section: 'network',
    control: { kind: 'lines', rows: 3 },
    apply: 'session',
    since: 2,
    formText: {
      parse: z.string().transform((raw, ctx) => {
        const parsed = parseIceServerLines(raw);
        if (typeof parsed === 'string') {
          ctx.addIssue({ code: 'custom', message: parsed });
          return z.NEVER;
        }
        return parsed;
      }),
      format: iceServerLines,
    },
  }),
  relay: setting(flag(), {
    default: false,
    example: true,
    scope: 'page',
    label: 'Relay only',
    section: 'network',
    control: { kind: 'checkbox' },
    apply: 'session',
    since: 1,
  }),

  // Camera and sound.
  camera: setting(orNone(anyText(256), 'the first camera'), {
    default: null,
    example: 'test-pattern',
    scope: 'page',
    label: 'Camera',
    section: 'media',
    control: { kind: 'device', device: 'videoinput', first: 'First camera' },
    apply: 'capture',
    since: 1,
  }),
  microphone: setting(orNone(anyText(256), 'the default microphone'), {
    default: null,
    example: 'USB Audio',
    scope: 'page',
    label: 'Microphone',
    section: 'media',
    control: { kind: 'device', device: 'audioinput', first: 'Default microphone' },
    apply: 'capture',
    since: 2,
  }),
  speaker: setting(orNone(anyText(256), 'the default speaker'), {
    default: null,
    example: 'HDMI',
    scope: 'page',
    label: 'Speaker',
    section: 'media',
    control: { kind: 'device', device: 'audiooutput', first: 'Default speaker' },
    apply: 'picture',
    since: 2,
  }),
  // The overlay sets width and height together, as its Resolution (see RESOLUTION below).
  width: setting(wholeNumber(160, 3840), {
    default: 1280,
    example: 640,
    scope: 'page',
    label: 'Width',
    section: 'media',
    control: { kind: 'none' },
    apply: 'capture',
    since: 1,
  }),
  height: setting(wholeNumber(120, 2160), {
    default: 720,
    example: 480,
    scope: 'page',
    label: 'Height',
    section: 'media',
    control: { kind: 'none' },
    apply: 'capture',
    since: 1,
  }),
  fps: setting(wholeNumber(1, 60), {
    default: 30,
    example: 15,
    scope: 'page',
    label: 'Frame rate',
    section: 'media',
    control: { kind: 'text', numeric: true },
    apply: 'capture',
    since: 1,
  }),
  audio: setting(flag(), {
    default: false,
    example: true,
    scope: 'page',
    label: 'Audio',
    section: 'media',
    control: { kind: 'checkbox' },
    apply: 'session',
    since: 1,
  }),
  volume: setting(wholeNumber(0, 100), {
    default: 100,
    example: 40,
    scope: 'page',
    label: 'Volume',
    help: '0 to 100.',
    section: 'media',
    control: { kind: 'text', numeric: true },
    apply: 'picture',
    since: 2,
  }),

  audioMinutes: setting(wholeNumber(0, 1440, ' of minutes'), {
    default: 0,
    example: 10,
    scope: 'page',
    label: 'Sound for (minutes)',
    help: 'With Audio: sound goes off after this many minutes of a call, until someone touches the screen. 0: no limit.',
    section: 'media',
    control: { kind: 'text', numeric: true },
    apply: 'picture',
    since: 4,
  }),

  // Opening hours.
  hours: setting(openingHours, {
    default: ALWAYS_OPEN,
    example: 'mon-fri 08:00-20:00; sat,sun 10:00-16:00',
    scope: 'page',
    label: 'Opening hours',
    help: 'Such as mon-fri 08:00-20:00; sat,sun 10:00-16:00 (several ranges a day: 08:00-12:00,13:00-18:00), or 24/7. Closed: camera off, nothing sent.',
    section: 'hours',
    control: { kind: 'text', placeholder: ALWAYS_OPEN },
    apply: 'picture',
    since: 4,
  }),
  timezone: setting(orNone(timeZone, "this machine's"), {
    default: null,
    example: 'Europe/Dublin',
    scope: 'page',
    label: 'Time zone',
    help: "The hours' time zone, such as Europe/Dublin. Empty: this machine's.",
    section: 'hours',
    control: { kind: 'text', placeholder: 'Europe/Dublin' },
    apply: 'picture',
    since: 4,
  }),
  closedDisplay: setting(choice(CLOSED_DISPLAYS), {
    default: 'clock',
    example: 'off',
    scope: 'page',
    label: 'While closed',
    section: 'hours',
    control: {
      kind: 'select',
      options: [
        ['clock', 'Dimmed, with the time'],
        ['off', 'Display off'],
      ],
    },
    apply: 'picture',
    since: 4,
  }),

  // Picture.
  mirror: setting(flag(), {
    default: false,
    example: true,
    scope: 'page',
    label: 'Mirror',
    section: 'picture',
    control: { kind: 'checkbox' },
    apply: 'picture',
    since: 2,
  }),
  rotation: setting(numberChoice(ROTATIONS), {
    default: 0,
    example: 90,
    scope: 'page',
    label: 'Rotation',
    section: 'picture',
    control: { kind: 'select', options: ROTATIONS.map((r) => [String(r), `${r}°`] as const) },
    apply: 'picture',
    since: 2,
  }),
  fit: setting(choice(['contain', 'cover']), {
    default: 'contain',
    example: 'cover',
    scope: 'page',
    label: 'Fit',
    section: 'picture',
    control: {
      kind: 'select',
      options: [
        ['contain', 'Letterbox'],
        ['cover', 'Fill'],
      ],
    },
    apply: 'picture',
    since: 1,
  }),
  preview: setting(flag(), {
    default: false,
    example: true,
    scope: 'page',
    label: 'Show local preview',
    section: 'picture',
    control: { kind: 'checkbox' },
    apply: 'picture',
    since: 1,
  }),

  // Quality.
  codec: setting(orNone(choice(CODECS, { caseInsensitive: true }), "the browser's choice"), {
    default: null,
    example: 'VP9',
    scope: 'page',
    label: 'Codec',
    section: 'quality',
    control: { kind: 'codec' },
    apply: 'session',
    since: 1,
  }),
  maxBitrate: setting(orNone(wholeNumber(50, 100_000, ' of kbit/s'), 'no cap'), {
    default: null,
    example: 800,
    scope: 'page',
    label: 'Max bitrate',
    help: 'kbit/s; empty for no cap.',
    section: 'quality',
    control: { kind: 'text', numeric: true },
    apply: 'sending',
    since: 1,
  }),
  degradation: setting(choice(DEGRADATIONS), {
    default: 'maintain-framerate',
    example: 'balanced',
    scope: 'page',
    label: 'Degradation',
    section: 'quality',
    control: {
      kind: 'select',
      options: [
        ['maintain-framerate', 'Maintain frame rate'],
        ['maintain-resolution', 'Maintain resolution'],
        ['balanced', 'Balanced'],
      ],
    },
    apply: 'sending',
    since: 2,
  }),
  hardwareVideo: setting(choice(HARDWARE_VIDEO), {
    default: 'auto',
    example: 'off',
    scope: 'host',
    label: 'Hardware video',
    help: 'Auto: VA-API or V4L2 where this machine has it. Takes effect after Restart.',
    section: 'quality',
    control: {
      kind: 'select',
      options: [
        ['auto', 'Automatic'],
        ['on', 'On'],
        ['off', 'Off (software)'],
      ],
    },
    apply: 'restart',
    since: 3,
  }),
} as const;

export type SettingName = keyof typeof SETTINGS;
type ValueOf<S> = S extends Setting<infer T> ? T : never;

/** Every setting, a kiosk host's own included: what the admin overlay edits. */
export type AllSettings = { readonly [N in SettingName]: ValueOf<(typeof SETTINGS)[N]> };

type PageName = { [N in SettingName]: (typeof SETTINGS)[N]['scope'] extends 'page' ? N : never }[SettingName];
/** What a portal page runs with; each is also a URL parameter. */
export type LinkSettings = Pick<AllSettings, PageName>;

export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];
export const PAGE_SETTING_NAMES = SETTING_NAMES.filter((name) => SETTINGS[name].scope === 'page') as PageName[];

/** A setting's declaration, without its value's type (for code that goes over all of them). */
export function settingOf(name: SettingName): Setting<unknown> {
  return SETTINGS[name] as Setting<unknown>;
}

/** The page's settings as a schema (they cross the bridge from host to page). */
export const LinkSettingsSchema = z.strictObject(
  Object.fromEntries(PAGE_SETTING_NAMES.map((name) => [name, SETTINGS[name].value])) as {
    [N in PageName]: (typeof SETTINGS)[N]['value'];
  },
);

/** The page's part of every setting. */
export function pageSettings(all: AllSettings): LinkSettings {
  return Object.fromEntries(PAGE_SETTING_NAMES.map((name) => [name, all[name]])) as LinkSettings;
}

export function defaultSettings(): AllSettings {
  return Object.fromEntries(SETTING_NAMES.map((name) => [name, settingOf(name).default])) as AllSettings;
}

/** The overlay's Resolution: width and height in one choice. */
export const RESOLUTIONS = ['640x480', '1280x720', '1920x1080'] as const;

/**
 * One ICE server a line: `stun:HOST:PORT`, or `turn:HOST:PORT USERNAME CREDENTIAL` (also
 * `turns:`). Empty: the signaling server's. Answers with the servers or what is wrong.
 */
export function parseIceServerLines(raw: string): z.infer<typeof IceServerSchema>[] | string {
  const servers: z.infer<typeof IceServerSchema>[] = [];
  for (const [index, line] of raw.split('\n').entries()) {
    if (line.trim() === '') continue;
    const [url, username, credential, ...extra] = line.trim().split(/\s+/);
    const where = `line ${index + 1}`;
    if (!/^(stun|turns?):\S+$/.test(url!) || extra.length > 0) {
      return `${where} must be a stun: or turn: URL, then for TURN a username and a credential`;
    }
    if (url!.startsWith('turn') && (username === undefined || credential === undefined)) {
      return `${where}: a TURN server needs a username and a credential after its URL`;
    }
    servers.push({
      urls: url!,
      ...(username === undefined ? {} : { username }),
      ...(credential === undefined ? {} : { credential }),
    });
  }
  return servers.length > 16 ? 'can list at most 16 servers' : servers;
}

export function iceServerLines(servers: readonly z.infer<typeof IceServerSchema>[]): string {
  return servers
    .flatMap((server) =>
      (Array.isArray(server.urls) ? server.urls : [server.urls]).map((url) =>
        [url, server.username, server.credential].filter((part) => part !== undefined).join(' '),
      ),
    )
    .join('\n');
}
