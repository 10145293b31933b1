// The settings a portal page runs with, from docs/surface.md's URL parameters. The same shape
// comes from the config file through the native bridge. Both are derived from the settings
// registry (app/settings/registry.ts).

import { PAGE_SETTING_NAMES, SETTING_NAMES, type LinkSettings } from '../settings/registry.js';
import { parseSettingsText, settingsText, URL_STYLE, type SettingError } from '../settings/settings-text.js';

export {
  CODECS,
  DEGRADATIONS,
  ROTATIONS,
  type Codec,
  type Degradation,
  type LinkSettings,
  type Rotation,
} from '../settings/registry.js';
export type { SettingError } from '../settings/settings-text.js';

export type SettingsResult =
  | { readonly ok: true; readonly settings: LinkSettings }
  | { readonly ok: false; readonly errors: readonly SettingError[] };

/** Parses the page's URL parameters; every bad or missing one is named in its own message. */
export function parseLinkSettings(params: Readonly<Record<string, string | undefined>>): SettingsResult {
  const parsed = parseSettingsText(params, PAGE_SETTING_NAMES, URL_STYLE);
  return parsed.ok ? { ok: true, settings: parsed.settings as LinkSettings } : parsed;
}

/**
 * Settings as URL parameters, the inverse of parseLinkSettings: a value at its default is left
 * out. The web page keeps its saved changes in this form.
 */
export function linkParams(settings: LinkSettings): Record<string, string> {
  return settingsText(
    settings,
    SETTING_NAMES.filter((name) => PAGE_SETTING_NAMES.includes(name as never)),
    { omitDefaults: true, form: false },
  );
}
