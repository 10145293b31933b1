// The admin overlay's settings form, derived from the settings registry: its fields (one per
// setting with a control, and Resolution for width and height together), one parse from what
// the controls hold to typed settings with a message per wrong field, and the pairing code.

import { z } from 'zod';
import {
  PAGE_SETTING_NAMES,
  RESOLUTIONS,
  SETTING_NAMES,
  SETTINGS,
  defaultSettings,
  pageSettings,
  settingOf,
  type AllSettings,
  type LinkSettings,
  type SettingName,
} from '../settings/registry.js';
import { SECTIONS, SignalUrlSchema, type Control, type Section } from '../settings/setting.js';
import { FORM_STYLE, parseSettingsText, settingsText } from '../settings/settings-text.js';
import { NAME_PATTERN } from '../signaling/protocol-limits.js';
import { describeValue } from '../validation/describe-value.js';
import { parseFingerprint } from '../identity/fingerprint.js';
import { configWithSettings, settingsFromConfig, type PortalConfig } from '../config/portal-config.js';

export { RESOLUTIONS } from '../settings/registry.js';

/** What the overlay edits: every setting, a kiosk host's own included. */
export type AdminSettings = AllSettings;

/** Where the settings are kept: a host's config file, or a web page's storage. */
export type AdminMode = 'host' | 'web';

/** A control of the form: a setting's, or Resolution (width and height). */
export type AdminField = Exclude<SettingName, 'width' | 'height'> | 'resolution';

/** What the controls hold: text for each field (a check box '1' or '0'). */
export type AdminForm = Readonly<Record<AdminField, string>>;

export interface FieldSpec {
  readonly name: AdminField;
  readonly label: string;
  readonly help?: string;
  readonly section: Section;
  readonly control: Control;
  /** Only a kiosk host shows it (it has a server of its own to host). */
  readonly hostOnly: boolean;
}

const RESOLUTION_FIELD: FieldSpec = {
  name: 'resolution',
  label: 'Resolution',
  section: 'media',
  control: { kind: 'select', options: RESOLUTIONS.map((r) => [r, r.replace('x', ' x ')] as const) },
  hostOnly: false,
};

/** The form's fields in order, section by section; Resolution stands where width is declared. */
export const ADMIN_FIELDS: readonly FieldSpec[] = (Object.keys(SECTIONS) as Section[]).flatMap((section) =>
  SETTING_NAMES.filter((name) => settingOf(name).section === section).flatMap((name): FieldSpec[] => {
    const spec = settingOf(name);
    if (name === 'width') return [RESOLUTION_FIELD];
    if (spec.control.kind === 'none') return [];
    return [
      {
        name: name as AdminField,
        label: spec.label,
        ...(spec.help === undefined ? {} : { help: spec.help }),
        section,
        control: spec.control,
        hostOnly: spec.scope === 'host',
      },
    ];
  }),
);

export type AdminParse =
  | { readonly ok: true; readonly settings: AdminSettings }
  | { readonly ok: false; readonly errors: Partial<Record<AdminField, string>> };

/** Reads the form; every wrong field gets its own message, led by its label. */
export function parseAdminForm(form: AdminForm, mode: AdminMode): AdminParse {
  const errors: Partial<Record<AdminField, string>> = {};
  // Resolution is width and height in one control: either wrong is the control's message.
  const badResolution = `Resolution must be one of ${RESOLUTIONS.join(', ')}, got ${describeValue(form.resolution)}.`;
  const [, width = '', height = ''] = form.resolution.trim().match(/^(\d+)x(\d+)$/) ?? [];
  if (width === '') errors.resolution = badResolution;
  const names = mode === 'host' ? SETTING_NAMES : PAGE_SETTING_NAMES;
  const parsed = parseSettingsText({ ...form, width, height }, names, FORM_STYLE);
  if (!parsed.ok) {
    for (const { parameter, message } of parsed.errors) {
      const field = parameter === 'width' || parameter === 'height' ? 'resolution' : (parameter as AdminField);
      errors[field] ??= field === 'resolution' ? badResolution : message;
    }
  }
  const settings = {
    ...defaultSettings(),
    hostSignaling: false,
    ...(parsed.ok ? parsed.settings : {}),
  } as AdminSettings;
  if (mode === 'host' && parsed.ok) {
    // A kiosk's rules across fields (the config file's too): both sites send the key, and a site
    // that does not host the server must name its partner's.
    if (settings.key === null) errors.key ??= 'Key is needed: both sites use the same key.';
    if (!settings.hostSignaling && settings.signal === null) {
      errors.signal ??=
        "Signaling server is needed when this site does not host the server: the partner's ws://HOST:8787/signal.";
    }
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, settings };
}

/** What the controls show for some settings. */
export function adminForm(settings: AdminSettings): AdminForm {
  const texts = settingsText(settings, SETTING_NAMES, { omitDefaults: false, form: true });
  return { ...texts, resolution: `${settings.width}x${settings.height}` } as AdminForm;
}

export function adminSettingsFromConfig(config: PortalConfig): AdminSettings {
  return settingsFromConfig(config);
}

/** The config with the settings in; its version and PIN stay as they are. */
export function configWithAdminSettings(config: PortalConfig, settings: AdminSettings): PortalConfig {
  return configWithSettings(config, settings);
}

/** A web page's settings as the overlay edits them: it hosts no server. */
export function adminSettingsFromLink(link: LinkSettings): AdminSettings {
  return { ...defaultSettings(), hostSignaling: false, ...link };
}

/** The page's part of the settings. */
export function linkWithAdminSettings(settings: AdminSettings): LinkSettings {
  return pageSettings(settings);
}

/** Every setting as a schema, for the bridge (a host parses what the page sends). */
export const AdminSettingsSchema = z.strictObject(
  Object.fromEntries(SETTING_NAMES.map((name) => [name, SETTINGS[name].value])) as {
    [N in SettingName]: (typeof SETTINGS)[N]['value'];
  },
);

/** The pairing code's versions: v2 adds the giving site's fingerprint; v1 codes are still read. */
const PAIRING_PREFIX = 'portal-pair:';

/**
 * The pairing code a site gives its partner: room, key and signaling server in one string to
 * copy, and (v2) the giving site's fingerprint, which the partner pins. `portal-pair:v2` then
 * URI-encoded fields, the fingerprint as 64 hex digits; without a fingerprint to give (this
 * site's identity could not be kept) the code is a v1 code, as older Portals read it.
 */
export function pairingCode(
  room: string,
  key: string | null,
  signal: string | null,
  fingerprint: string | null = null,
): string {
  const part = (name: string, value: string | null) => (value === null ? '' : `;${name}=${encodeURIComponent(value)}`);
  const version = fingerprint === null ? 'v1' : 'v2';
  return `${PAIRING_PREFIX}${version}${part('room', room)}${part('key', key)}${part('signal', signal)}${part('fingerprint', fingerprint?.replace(/:/g, '') ?? null)}`;
}

export type PairingParse =
  | {
      readonly ok: true;
      readonly room: string;
      readonly key: string | null;
      readonly signal: string | null;
      /** The giving site's fingerprint (v2), as Portal writes it; null from a v1 code. */
      readonly fingerprint: string | null;
    }
  | { readonly ok: false; readonly error: string };

export function parsePairingCode(code: string): PairingParse {
  const trimmed = code.trim();
  const head = trimmed.match(/^portal-pair:v(\d+)(?=;|$)/);
  if (head === null) {
    return {
      ok: false,
      error: 'A pairing code starts with portal-pair:v2 (or v1); copy it whole from the other site.',
    };
  }
  const version = Number(head[1]);
  if (version !== 1 && version !== 2) {
    return {
      ok: false,
      error: `This pairing code is of version ${head[1]}, newer than this Portal reads (1 and 2); update Portal, or have the other site give a code this one reads.`,
    };
  }
  const fields: Record<string, string> = {};
  for (const part of trimmed.slice(head[0].length).split(';').filter(Boolean)) {
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
  if (signal !== null && !SignalUrlSchema.safeParse(signal).success) {
    return { ok: false, error: 'The pairing code names no usable signaling server.' };
  }
  let fingerprint: string | null = null;
  if (version === 2) {
    const parsed = parseFingerprint(fields['fingerprint'] ?? '');
    if (!parsed.ok) {
      return {
        ok: false,
        error:
          "The pairing code's fingerprint of the other site is missing or damaged; copy the code again from the other site.",
      };
    }
    fingerprint = parsed.text;
  }
  return { ok: true, room, key: fields['key'] ?? null, signal, fingerprint };
}
