// Settings to and from text: the page's URL parameters and the overlay's controls both hold a
// string per setting. One parse for both, with a message per bad value that names it the way
// its reader knows it: "`width` must be ..." in a URL, "Frame rate must be ..." in the overlay.

import { describeValue } from '../validation/describe-value.js';
import { settingOf, type SettingName } from './registry.js';

export interface SettingError {
  readonly parameter: string;
  readonly message: string;
}

export type TextParse<T> =
  { readonly ok: true; readonly settings: T } | { readonly ok: false; readonly errors: readonly SettingError[] };

export interface TextStyle {
  /** How a setting is named at the head of its message. */
  name(setting: SettingName): string;
  /** The overlay's text form where a setting has its own (ICE servers, one a line). */
  readonly form: boolean;
  /** Absent text: the default, or (URL) "missing" for a required setting. */
  readonly url: boolean;
}

export const URL_STYLE: TextStyle = { name: (setting) => `\`${setting}\``, form: false, url: true };
export const FORM_STYLE: TextStyle = { name: (setting) => settingOf(setting).label, form: true, url: false };

/** Parses each named setting from its text; every bad or missing one gets its own message. */
export function parseSettingsText<N extends SettingName>(
  texts: Readonly<Record<string, string | undefined>>,
  names: readonly N[],
  style: TextStyle,
): TextParse<Record<N, unknown>> {
  const settings: Partial<Record<N, unknown>> = {};
  const errors: SettingError[] = [];
  for (const name of names) {
    const spec = settingOf(name);
    const raw = texts[name];
    if (raw === undefined || (raw === '' && spec.required !== undefined && style.url)) {
      if (spec.required !== undefined && style.url) {
        errors.push({
          parameter: name,
          message: `\`${name}\` is missing: add ${spec.required} to the page address (?${name}=...)`,
        });
      }
      settings[name] = spec.default;
      continue;
    }
    const form = (style.form && spec.formText) || spec.text;
    const parsed = form.parse.safeParse(raw);
    if (parsed.success) {
      settings[name] = parsed.data;
      continue;
    }
    // A form's own text (one ICE server a line) says best what is wrong with it.
    const own = (style.form && spec.formText) || spec.explains ? parsed.error.issues[0]?.message : undefined;
    const end = style.url ? '' : '.';
    errors.push({
      parameter: name,
      message: own
        ? `${style.name(name)} ${own}${end}`
        : `${style.name(name)} must be ${spec.rule}, got ${describeValue(raw)}${end}`,
    });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, settings: settings as Record<N, unknown> };
}

/** Each named setting as text; with `omitDefaults`, only those that differ from the default. */
export function settingsText(
  settings: Readonly<Partial<Record<SettingName, unknown>>>,
  names: readonly SettingName[],
  options: { readonly omitDefaults: boolean; readonly form: boolean },
): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const name of names) {
    const spec = settingOf(name);
    const value = settings[name];
    if (value === undefined) continue;
    const required = spec.required !== undefined;
    if (options.omitDefaults && !required && JSON.stringify(value) === JSON.stringify(spec.default)) continue;
    texts[name] = ((options.form && spec.formText) || spec.text).format(value);
  }
  return texts;
}
