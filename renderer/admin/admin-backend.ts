// Where the admin overlay's PIN and settings live. In a kiosk host (Electron or the supervised
// Chromium) the host keeps them in its config file and checks the PIN, through the bridge; a
// plain web page keeps them in this browser's local storage, its saved changes layered over the
// URL parameters.

import {
  adminSettingsFromLink,
  linkWithAdminSettings,
  type AdminMode,
  type AdminSettings,
} from '../../app/admin/admin-settings.js';
import {
  lockRemaining,
  makePinRecord,
  pinProblem,
  PinGate,
  UNLOCKED,
  type PinLock,
  type PinTry,
} from '../../app/admin/pin.js';
import type { PairingSignal } from '../../app/admin/pairing-signals.js';
import { linkParams, type LinkSettings } from '../../app/config/link-settings.js';
import { PinRecordSchema } from '../../app/config/portal-config.js';
import { SIGNAL_PATH } from '../../app/signaling/protocol-limits.js';
import type { BridgeClient } from '../bridge/bridge-client.js';
import { webPinHasher } from './web-pin-hasher.js';

export type UnlockResult = PinTry;

export interface AdminBackend {
  readonly mode: AdminMode;
  status(): Promise<{ pinSet: boolean; lockedMs: number }>;
  setPin(pin: string): Promise<void>;
  unlock(pin: string): Promise<UnlockResult>;
  /** The settings, and the signaling URLs a partner might use, best first (pairingSignal: the first). */
  load(): Promise<{
    settings: AdminSettings;
    pairingSignal: string | null;
    pairingSignals: readonly PairingSignal[];
  }>;
  /** Saves; answers with the settings the page now runs with. */
  save(settings: AdminSettings): Promise<{ link: LinkSettings; restartRequired: boolean }>;
  /** The host's last log lines; null for a web page (it has no host log). */
  readonly logs: (() => Promise<readonly string[]>) | null;
  /** Restarts the host; null for a web page. */
  readonly restart: (() => Promise<void>) | null;
}

export class HostAdminBackend implements AdminBackend {
  readonly mode = 'host' as const;
  private token = '';

  constructor(private readonly bridge: BridgeClient) {}

  status() {
    return this.bridge.call('adminStatus', null);
  }

  async setPin(pin: string) {
    this.token = (await this.bridge.call('setPin', { pin })).token;
  }

  async unlock(pin: string): Promise<UnlockResult> {
    const answer = await this.bridge.call('unlock', { pin });
    if (!answer.ok) return answer;
    this.token = answer.token;
    return { ok: true };
  }

  load() {
    return this.bridge.call('getAdminSettings', { token: this.token });
  }

  async save(settings: AdminSettings) {
    const answer = await this.bridge.call('saveAdminSettings', { token: this.token, settings });
    return { link: answer.settings, restartRequired: answer.restartRequired };
  }

  readonly logs = async () => (await this.bridge.call('getLogs', { token: this.token })).lines;

  readonly restart = async () => void (await this.bridge.call('restart', { token: this.token }));
}

const PIN_KEY = 'portal.admin.pin';
const LOCK_KEY = 'portal.admin.lock';
/** The web page's saved changes, as URL parameters (null: removed) over the page's own. */
export const SAVED_PARAMS_KEY = 'portal.params';

export class WebAdminBackend implements AdminBackend {
  readonly mode = 'web' as const;
  readonly logs = null;
  readonly restart = null;

  private readonly gate: PinGate;

  constructor(
    private readonly current: () => LinkSettings,
    private readonly urlParams: Readonly<Record<string, string>>,
    private readonly storage: Storage = localStorage,
  ) {
    this.gate = new PinGate(
      webPinHasher,
      { read: () => this.lock(), write: (lock) => storage.setItem(LOCK_KEY, JSON.stringify(lock)) },
      () => Date.now(),
    );
  }

  async status() {
    return { pinSet: this.pin() !== null, lockedMs: lockRemaining(this.lock(), Date.now()) };
  }

  async setPin(pin: string) {
    if (this.pin() !== null) throw new Error('A PIN is already set; enter it to open the settings.');
    const problem = pinProblem(pin);
    if (problem !== null) throw new Error(problem);
    this.storage.setItem(PIN_KEY, JSON.stringify(await makePinRecord(pin, webPinHasher)));
  }

  async unlock(pin: string): Promise<UnlockResult> {
    const record = this.pin();
    if (record === null) throw new Error('No PIN is set yet; set one first.');
    return this.gate.try(pin, record);
  }

  async load() {
    const link = this.current();
    // A web page knows one way to its server: the one it uses.
    const signal = link.signal ?? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${SIGNAL_PATH}`;
    return {
      settings: adminSettingsFromLink(link),
      pairingSignal: signal,
      pairingSignals: [{ url: signal, interface: null }],
    };
  }

  async save(settings: AdminSettings) {
    const link = linkWithAdminSettings(settings);
    const wanted = linkParams(link);
    // Only what differs from the page's own URL is kept, so a changed URL still counts.
    const saved: Record<string, string | null> = {};
    for (const name of new Set([...Object.keys(wanted), ...Object.keys(this.urlParams)])) {
      const value = wanted[name] ?? null;
      if (value !== (this.urlParams[name] ?? null)) saved[name] = value;
    }
    this.storage.setItem(SAVED_PARAMS_KEY, JSON.stringify(saved));
    return { link, restartRequired: false };
  }

  private pin() {
    const parsed = PinRecordSchema.safeParse(readJson(this.storage, PIN_KEY));
    return parsed.success ? parsed.data : null;
  }

  private lock(): PinLock {
    const raw = readJson(this.storage, LOCK_KEY) as Partial<PinLock> | null;
    return raw !== null &&
      typeof raw.failures === 'number' &&
      (raw.lockedUntil === null || typeof raw.lockedUntil === 'number')
      ? { failures: raw.failures, lockedUntil: raw.lockedUntil ?? null }
      : UNLOCKED;
  }
}

/** The page's URL parameters with its saved changes over them. */
export function paramsWithSaved(
  urlParams: Readonly<Record<string, string>>,
  storage: Storage = localStorage,
): Record<string, string> {
  const merged: Record<string, string> = { ...urlParams };
  const saved = readJson(storage, SAVED_PARAMS_KEY);
  if (typeof saved !== 'object' || saved === null || Array.isArray(saved)) return merged;
  for (const [name, value] of Object.entries(saved)) {
    if (value === null) delete merged[name];
    else if (typeof value === 'string') merged[name] = value;
  }
  return merged;
}

function readJson(storage: Storage, key: string): unknown {
  try {
    return JSON.parse(storage.getItem(key) ?? 'null');
  } catch {
    return null;
  }
}
