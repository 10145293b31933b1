// Config files of older versions, brought up to the current one step by step: migration N takes
// a version-N object to version N+1. A migration only adds or reshapes fields; the result is
// still checked by the current schema. A file newer than this Portal is refused, never guessed.

type JsonObject = Record<string, unknown>;

/** MIGRATIONS[n] turns a version-n config into a version-(n+1) one. */
export const MIGRATIONS: Readonly<Record<number, (old: JsonObject) => JsonObject>> = {
  // Version 2: the admin overlay's settings (ICE servers, microphone, speaker, volume, picture,
  // degradation) and the admin PIN, each with the behaviour version 1 had.
  1: (old) => ({
    ...old,
    version: 2,
    iceServers: [],
    microphone: null,
    speaker: null,
    volume: 100,
    degradation: 'maintain-framerate',
    mirror: false,
    rotation: 0,
    pin: null,
  }),
};

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
  let value = json as JsonObject;
  for (let step = version; step < current; step++) {
    const migration = MIGRATIONS[step];
    if (migration === undefined) {
      return { ok: false, error: `The config file is version ${version}, which this Portal cannot read.` };
    }
    value = migration(value);
  }
  return { ok: true, value, from: version };
}
