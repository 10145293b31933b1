// The admin overlay's side in a kiosk host: the PIN (hashed with PBKDF2 into the config file,
// five wrong tries lock it for five minutes), short-lived tokens that prove the PIN for the
// calls that read or change settings, saving through the config store, the recent log lines
// and a restart. Everything the page sends has been parsed by the bridge contract already.

import { pbkdf2, randomBytes } from 'node:crypto';
import { networkInterfaces as osNetworkInterfaces } from 'node:os';
import { promisify } from 'node:util';
import {
  adminSettingsFromConfig,
  configWithAdminSettings,
  type AdminSettings,
} from '../../app/admin/admin-settings.js';
import {
  lockRemaining,
  makePinRecord,
  pinProblem,
  PinGate,
  UNLOCKED,
  type PinHasher,
  type PinLock,
} from '../../app/admin/pin.js';
import { PortalConfigSchema, settingsFromConfig, type PortalConfig } from '../../app/config/portal-config.js';
import { SETTING_NAMES, settingOf } from '../../app/settings/registry.js';
import type { Logger } from '../../app/log/logger.js';
import { firstIssue } from '../../app/validation/first-issue.js';
import type { ConfigStore } from '../config/config-store.js';
import type { AdminHandlers } from '../display/display-shell.js';
import { AdminTokens } from './admin-tokens.js';
import { pairingCandidates, type NetworkInterfaces } from './pairing-candidates.js';
import { linkSettingsFor } from './site-settings.js';

export type { AdminHandlers } from '../display/display-shell.js';

export interface SiteAdminOptions {
  readonly store: Pick<ConfigStore, 'save'>;
  readonly config: () => PortalConfig;
  readonly setConfig: (config: PortalConfig) => void;
  readonly localPort: () => number;
  readonly recentLogs: () => readonly string[];
  /** Restarts the host; called after the answer has gone out. */
  readonly restart: () => void;
  readonly logger: Logger;
  readonly now?: () => number;
  readonly hasher?: PinHasher;
  /** This machine's network interfaces, for the pairing code's addresses; os.networkInterfaces when absent. */
  readonly networkInterfaces?: () => NetworkInterfaces;
}

const derive = promisify(pbkdf2);

export const nodePinHasher: PinHasher = {
  salt: () => randomBytes(16).toString('base64'),
  derive: async (pin, salt, iterations) =>
    (await derive(pin, Buffer.from(salt, 'base64'), iterations, 32, 'sha256')).toString('base64'),
};

export function createSiteAdmin(options: SiteAdminOptions): AdminHandlers {
  const now = options.now ?? (() => Date.now());
  const hasher = options.hasher ?? nodePinHasher;
  const interfaces = options.networkInterfaces ?? osNetworkInterfaces;
  const tokens = new AdminTokens(now);
  let lock: PinLock = UNLOCKED;
  const gate = new PinGate(hasher, { read: () => lock, write: (next) => (lock = next) }, now);

  const issueToken = (): { token: string } => ({ token: tokens.issue() });
  const requireToken = (token: string): void => {
    if (!tokens.valid(token)) throw new Error('The settings are locked again; enter the PIN.');
  };

  return {
    adminStatus: () => ({ pinSet: options.config().pin !== null, lockedMs: lockRemaining(lock, now()) }),

    async setPin({ pin }) {
      if (options.config().pin !== null) throw new Error('A PIN is already set; enter it to open the settings.');
      const problem = pinProblem(pin);
      if (problem !== null) throw new Error(problem);
      const config = { ...options.config(), pin: await makePinRecord(pin, hasher) };
      await options.store.save(config);
      options.setConfig(config);
      options.logger.info('admin-pin-set', {});
      return issueToken();
    },

    async unlock({ pin }) {
      const record = options.config().pin;
      if (record === null) throw new Error('No PIN is set yet; set one first.');
      const tried = await gate.try(pin, record);
      if (tried.ok) return { ok: true, ...issueToken() };
      options.logger.warn('admin-pin-wrong', { locked: tried.lockedMs > 0 });
      return tried;
    },

    getAdminSettings({ token }) {
      requireToken(token);
      const config = options.config();
      const pairingSignals = pairingCandidates(config, options.localPort(), interfaces());
      return {
        settings: adminSettingsFromConfig(config),
        pairingSignal: pairingSignals[0]?.url ?? null,
        pairingSignals,
      };
    },

    async saveAdminSettings({ token, settings }) {
      requireToken(token);
      const before = options.config();
      const next = configWithAdminSettings(before, settings as AdminSettings);
      const checked = PortalConfigSchema.safeParse(next);
      if (!checked.success) {
        const { field, message } = firstIssue(checked.error, 'config');
        throw new Error(`\`${field}\` ${message}`);
      }
      await options.store.save(checked.data);
      options.setConfig(checked.data);
      options.logger.info('admin-settings-saved', {});
      const restartRequired = restartSettingsChanged(before, checked.data);
      return { settings: linkSettingsFor(checked.data, options.localPort()), restartRequired };
    },

    getLogs({ token }) {
      requireToken(token);
      return { lines: [...options.recentLogs()] };
    },

    restart({ token }) {
      requireToken(token);
      options.logger.warn('admin-restart', {});
      setTimeout(options.restart, 200);
      return null;
    },
  };
}

/** Whether a setting the host takes up only when it restarts (`apply: 'restart'`) changed. */
export function restartSettingsChanged(before: PortalConfig, after: PortalConfig): boolean {
  const [was, now] = [settingsFromConfig(before), settingsFromConfig(after)];
  return SETTING_NAMES.some(
    (name) => settingOf(name).apply === 'restart' && JSON.stringify(was[name]) !== JSON.stringify(now[name]),
  );
}
