// A kiosk host: one local HTTP server (renderer, /healthz, the HTTP bridge when the shell needs
// it, and the signaling server when this machine hosts it) and one watched display per site,
// shown by a shell: the supervised system Chromium or the Electron window. `portal kiosk` and
// `portal start` run one display from the config file; `portal demo` runs two side by side.
// The page's CSP names the signaling server its settings give, read at each load; the bridge
// answers this machine's page only (http-bridge.ts), whatever interfaces the port is open on.

import { randomBytes } from 'node:crypto';
import type { Logger } from '../../app/log/logger.js';
import { BridgeEvents } from '../../native-bridge/bridge-events.js';
import type { BridgeHandlers } from '../../native-bridge/contract.js';
import { createHttpBridge } from '../chromium/http-bridge.js';
import { DisplayPower, runPowerCommand } from '../display/display-power.js';
import type { AdminHandlers, DisplayShell, DisplaySpec } from '../display/display-shell.js';
import type { KeyPolicy } from '../signaling/key-policy.js';
import { startSignalingServer } from '../signaling/signaling-server.js';
import type { TurnOptions } from '../signaling/turn-credentials.js';
import { DisplayWatchdog, type WatchdogOptions } from '../watchdog/display-watchdog.js';
import { KioskHealth } from '../watchdog/kiosk-health.js';
import { registerKioskMetrics } from './kiosk-metrics.js';

const NO_ADMIN: AdminHandlers = Object.fromEntries(
  (['adminStatus', 'setPin', 'unlock', 'getAdminSettings', 'saveAdminSettings', 'getLogs', 'restart'] as const).map(
    (call) => [
      call,
      () => {
        throw new Error('This kiosk keeps no settings to change (portal demo).');
      },
    ],
  ),
) as unknown as AdminHandlers;

export interface KioskHostOptions {
  readonly shell: DisplayShell;
  readonly displays: readonly DisplaySpec[];
  /**
   * Host the signaling server with these keys, on every interface unless `listen` says, handing
   * the sites credentials for `turn` when it is there.
   */
  readonly signaling: { readonly keys: KeyPolicy; readonly listen?: string; readonly turn?: TurnOptions | null } | null;
  readonly port: number;
  readonly staticDir: string;
  readonly watchdog: WatchdogOptions;
  readonly logger: Logger;
  /** Puts the display to sleep while a closed site asks for it (one display: the machine's). */
  readonly displayPower?: DisplayPower;
  /** Wall clock in ms since 1970, for the watchdogs and the health records; Date.now when absent. */
  readonly clock?: () => number;
}

export interface KioskHost {
  readonly port: number;
  stop(): Promise<void>;
}

export async function startKioskHost(options: KioskHostOptions): Promise<KioskHost> {
  let localPort = options.port;
  const power =
    options.displayPower ??
    new DisplayPower({ env: process.env, run: runPowerCommand, logger: options.logger.child('display-power') });
  const clock = options.clock ?? Date.now;
  const powerVotes = new Map<string, boolean>();
  const displays = options.displays.map((spec) => {
    const watchdog = new DisplayWatchdog(clock, options.watchdog);
    const health = new KioskHealth(clock);
    const events = new BridgeEvents();
    const admin = spec.admin ?? NO_ADMIN;
    const handlers: BridgeHandlers = {
      reportState: (report) => {
        watchdog.heartbeat(report.state, report.closedUntil ?? null);
        health.report(report);
      },
      setDisplayPower: ({ on }) => {
        // One screen for every display of this host (the demo's two): asleep only when all ask.
        powerVotes.set(spec.site, on);
        return power.set(options.displays.some((other) => powerVotes.get(other.site) !== false));
      },
      getSettings: () => ({ settings: spec.settings(localPort), warning: spec.warning }),
      ...admin,
      async saveAdminSettings(args) {
        const saved = await admin.saveAdminSettings(args);
        // Told once the call has answered, so the overlay that saved applies first and the
        // event finds nothing left to change; any other page of this site follows it. A new
        // signaling server (a pairing code's) is a link change: the page loads again, and its
        // CSP, made at each load from the config, names the new server.
        if (!saved.restartRequired) setTimeout(() => events.emit('settingsChanged', { settings: saved.settings }), 0);
        return saved;
      },
    };
    return { spec, watchdog, health, handlers, events, secret: randomBytes(24).toString('base64url') };
  });
  const kiosks = () =>
    displays.map(({ spec, watchdog, health }) => ({ site: spec.site, ...health.fields(watchdog.status) }));
  const server = await startSignalingServer({
    // Hosting: reachable by the partner. Not hosting: this machine only, and no site may join.
    host: options.signaling ? (options.signaling.listen ?? '0.0.0.0') : '127.0.0.1',
    port: options.port,
    keys: options.signaling?.keys ?? { rooms: {} },
    turn: options.signaling?.turn ?? null,
    logger: options.logger.child('signaling'),
    staticDir: options.staticDir,
    // Each display's signaling server, as its settings say now (the demo's two share one).
    pageSignals: () => displays.map(({ spec }) => signalOf(spec, localPort)),
    ...(options.shell.httpBridge ? { routes: createHttpBridge(displays, options.logger.child('bridge')) } : {}),
    health: () => ({ kiosks: kiosks().map(({ site, ...fields }) => ({ site, shell: options.shell.name, ...fields })) }),
    metrics: (registry) => registerKioskMetrics(registry, kiosks),
  });
  localPort = server.port;
  const running = displays.map((display) => options.shell.open({ ...display, localPort: server.port }));
  return {
    port: server.port,
    async stop() {
      await Promise.all(running.map((display) => display.stop()));
      await server.close();
    },
  };
}

/** A display's signaling server for its page's CSP; none (its own origin only) if unreadable. */
function signalOf(spec: DisplaySpec, localPort: number): string | null {
  try {
    return spec.settings(localPort).signal;
  } catch {
    return null;
  }
}

export type {
  DisplayShell,
  DisplaySpec,
  HostedDisplay,
  RunningDisplay,
  WindowPlacement,
} from '../display/display-shell.js';
