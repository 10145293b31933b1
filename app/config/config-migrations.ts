// Config files of older versions, brought up to the current one step by step. Each step adds
// the settings the registry says that version brought (`since`), at their defaults; RESHAPES
// holds whatever a step does beyond that. The result is still checked by the current schema. A
// file newer than this Portal is refused, never guessed.

import { settingOf, SETTING_NAMES } from '../settings/registry.js';

type JsonObject = Record<string, unknown>;

/** RESHAPES[n]: what taking a version-n config to n+1 does besides adding new settings. */
export const RESHAPES: Readonly<Record<number, (old: JsonObject) => JsonObject>> = {
  // Version 2 also brought the admin PIN, unset.
  1: (old) => ({ ...old, pin: null }),
};

/** Takes a version-`from` object to version from+1. */
export function migrateStep(old: JsonObject, from: number): JsonObject {
  const added: JsonObject = {};
  for (const name of SETTING_NAMES) {
    const spec = settingOf(name);
    if (spec.since !== from + 1) continue;
    if (spec.configPath === undefined) added[name] = spec.default;
    else {
      const [outer, inner] = spec.configPath;
      added[outer] = {
        ...(old[outer] as JsonObject | undefined),
        ...(added[outer] as JsonObject),
        [inner]: spec.default,
      };
    }
  }
  const reshaped = (RESHAPES[from] ?? ((value: JsonObject) => value))({ ...old, ...added });
  return { ...reshaped, version: from + 1 };
}

export type Migrated =
  | { readonly ok: true; readonly value: unknown; readonly from: number | null }
  | { readonly ok: false; readonly error: string };

export function migrateConfig(json: unknown, current: number): Migrated {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: true, value: json, from: null };
  const version = (json as JsonObject)['version'];
  if (typeof version !== 'number' || !Number.isInteger(version) || version === current) {
    return { ok: true, value: json, from: null };
  }
  if (version > current) {
    return {
      ok: false,
      error: `The config file is version ${version}, newer than this Portal reads (${current}); update Portal.`,
    };
  }
  if (version < 1) return { ok: false, error: `The config file is version ${version}, which this Portal cannot read.` };
  let value = json as JsonObject;
  for (let step = version; step < current; step++) value = migrateStep(value, step);
  return { ok: true, value, from: version };
}
