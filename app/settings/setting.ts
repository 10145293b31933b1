// What one setting is: its value's schema, its default, its text form (a URL parameter and an
// overlay control hold text), its label and control in the overlay, how a change is applied to
// a running portal, and the config version that brought it. The kinds of value below build
// those pieces so that an entry in the registry is a few lines.

import { z } from 'zod';

/** How a running portal takes a change, least disruptive first. */
export const APPLY_STEPS = ['picture', 'sending', 'capture', 'session', 'link', 'restart'] as const;
export type ApplyStep = (typeof APPLY_STEPS)[number];
// picture: on screen only · sending: the live senders (setParameters) · capture: the camera or
// microphone (applyConstraints, replaceTrack) · session: a new call · link: start over (reload) ·
// restart: a kiosk host's own, taken up when the host restarts (its server, its browser's switches).

/** The overlay's fieldsets, in order. */
export const SECTIONS = {
  link: 'Link',
  network: 'Network',
  media: 'Camera and sound',
  picture: 'Picture',
  quality: 'Quality',
  hours: 'Opening hours',
} as const;
export type Section = keyof typeof SECTIONS;

export type Control =
  | { readonly kind: 'text'; readonly secret?: boolean; readonly numeric?: boolean; readonly placeholder?: string }
  | { readonly kind: 'checkbox' }
  | { readonly kind: 'select'; readonly options: readonly (readonly [value: string, label: string])[] }
  /** A select filled from enumerateDevices, with `first` for "the default one" (empty text). */
  | { readonly kind: 'device'; readonly device: 'videoinput' | 'audioinput' | 'audiooutput'; readonly first: string }
  /** A select of the video codecs this browser can send, and "Automatic". */
  | { readonly kind: 'codec' }
  | { readonly kind: 'lines'; readonly rows: number }
  /** Not a control of its own (part of a combined control, or not editable at the kiosk). */
  | { readonly kind: 'none' };

/** The text form of a value: what a URL parameter or a control holds. */
export interface TextForm<T> {
  /** Parses text; `rule` says what is expected when this refuses. */
  readonly parse: z.ZodType<T, string>;
  readonly format: (value: T) => string;
}

export interface SettingKind<T> {
  /** The value as the config file and the bridge hold it. */
  readonly value: z.ZodType<T>;
  readonly text: TextForm<T>;
  /** The middle of a sentence: "`width` must be <rule>, got 'abc'". */
  readonly rule: string;
  /** The text parse's own message says best what is wrong (which part of a schedule). */
  readonly explains?: boolean;
}

export interface Setting<T> extends SettingKind<T> {
  readonly default: T;
  /** A value other than the default, for round-trip tests and placeholders. */
  readonly example: T;
  /** `page`: the portal page's (a URL parameter too); `host`: a kiosk host's only. */
  readonly scope: 'page' | 'host';
  /** Where the config file keeps it, when not at the top level under its own name. */
  readonly configPath?: readonly [string, string];
  /** A URL parameter the page cannot start without, and what it names ("the room both sites share"). */
  readonly required?: string;
  readonly label: string;
  readonly help?: string;
  readonly section: Section;
  readonly control: Control;
  readonly apply: ApplyStep;
  /** The config file version that brought this setting; older files get the default. */
  readonly since: number;
  /** A form (the overlay's) may give another text form, e.g. one ICE server a line. */
  readonly formText?: TextForm<T>;
}

/** A setting's declaration: its kind plus what the registry says of it (its scope kept exact). */
export function setting<T, const S extends 'page' | 'host'>(
  kind: SettingKind<T>,
  rest: Omit<Setting<NoInfer<T>>, keyof SettingKind<T> | 'scope'> & { readonly scope: S },
): Setting<T> & { readonly scope: S } {
  return { ...kind, ...rest };
}

// The kinds of value.

export function wholeNumber(min: number, max: number, unit = ''): SettingKind<number> {
  const value = z.number().int().min(min).max(max);
  return {
    value,
    text: { parse: z.string().trim().regex(/^\d+$/).pipe(z.coerce.number()).pipe(value), format: String },
    rule: `a whole number${unit} from ${min} to ${max}`,
  };
}

export function flag(): SettingKind<boolean> {
  return {
    value: z.boolean(),
    text: {
      parse: z.stringbool({ truthy: ['1', 'true'], falsy: ['0', 'false'], case: 'insensitive' }),
      format: (on) => (on ? '1' : '0'),
    },
    rule: '1 or 0',
  };
}

export function choice<const O extends readonly [string, ...string[]]>(
  options: O,
  options2: { readonly caseInsensitive?: boolean } = {},
): SettingKind<O[number]> {
  const value = z.enum(options);
  const parse = options2.caseInsensitive
    ? z
        .string()
        .transform((raw) => options.find((o) => o.toLowerCase() === raw.toLowerCase()) ?? raw)
        .pipe(value)
    : value;
  return { value, text: { parse, format: String }, rule: `one of ${options.join(', ')}` };
}

/** A number among a few (rotation): the value is a number, its text the digits. */
export function numberChoice<const O extends readonly [number, ...number[]]>(options: O): SettingKind<O[number]> {
  const value = z.literal(options);
  return {
    value,
    text: { parse: z.string().regex(/^\d+$/).pipe(z.coerce.number()).pipe(value), format: String },
    rule: `${options.slice(0, -1).join(', ')} or ${options.at(-1)}`,
  };
}

export function text(schema: z.ZodType<string, string>, rule: string): SettingKind<string> {
  return { value: schema, text: { parse: z.string().trim().pipe(schema), format: String }, rule };
}

/** A signaling server: a ws:// or wss:// URL that the browser's `new URL` also accepts. */
export const SignalUrlSchema = z.url({ protocol: /^wss?$/, error: 'must be a ws:// or wss:// URL' });

/**
 * Text that `check` reads: the value is the text as `check` writes it back, and a refusal is the
 * sentence's end that `check` answers ("rule 2 ('sat 10'): ...").
 */
export function checkedText(
  check: (raw: string) => { readonly ok: true; readonly text: string } | { readonly ok: false; readonly error: string },
  rule: string,
  options: { readonly normalizesValue?: boolean } = {},
): SettingKind<string> {
  const parse = z.string().transform((raw, ctx) => {
    const checked = check(raw);
    if (checked.ok) return checked.text;
    ctx.addIssue({ code: 'custom', message: checked.error });
    return z.NEVER;
  });
  // `normalizesValue`: the config file's value is taken in any form the text takes, and kept as
  // `check` writes it (a fingerprint in lower case becomes upper case); else it is only checked.
  const value = options.normalizesValue
    ? parse
    : z.string().superRefine((raw, ctx) => {
        const checked = check(raw);
        if (!checked.ok) ctx.addIssue({ code: 'custom', message: checked.error });
      });
  return { value, text: { parse, format: String }, rule, explains: true };
}

export function json<T>(schema: z.ZodType<T>, rule: string): SettingKind<T> {
  const parse = z
    .string()
    .transform((raw, ctx) => {
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'is not JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);
  return { value: schema, text: { parse, format: (value) => JSON.stringify(value) }, rule };
}

/** Empty text (or an absent value) stands for null: "not set", the default device, no cap. */
export function orNone<T>(kind: SettingKind<T>, none: string): SettingKind<T | null> {
  return {
    value: kind.value.nullable(),
    text: {
      // Not a union: the kind's own refusal comes through as it is (a union's says "Invalid input").
      parse: z.string().transform((raw, ctx): T | null => {
        if (raw === '') return null;
        const parsed = kind.text.parse.safeParse(raw);
        if (parsed.success) return parsed.data;
        for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message });
        return z.NEVER;
      }),
      format: (value) => (value === null ? '' : kind.text.format(value)),
    },
    rule: `${kind.rule} (or empty for ${none})`,
    ...(kind.explains ? { explains: true } : {}),
  };
}
