// `portal start [--config FILE] [--browser PATH]`: this site's kiosk in Electron when its binary
// is here, else in the supervised system Chromium, saying which and why.

import { resolve } from 'node:path';
import type { Logger } from '../../app/log/logger.js';
import { APP_DIR } from '../site/built-paths.js';
import { ElectronLauncher } from './electron-launcher.js';
import { parseFlags } from './command-args.js';
import { electronBinary } from './electron-binary.js';
import { KIOSK_USAGE } from './kiosk-command.js';
import { UsageError } from '../util/usage-error.js';

export const START_USAGE = `${KIOSK_USAGE.replace('portal kiosk', 'portal start')}

The kiosk runs in Electron when its binary is installed (\`npm run electron:fetch\` fetches it
where the network allows; PORTAL_ELECTRON names another), else in the system Chromium.
PORTAL_SHELL=chromium (or electron) chooses instead.`;

export type ShellChoice =
  { readonly shell: 'electron'; readonly binary: string } | { readonly shell: 'chromium'; readonly why: string };

/** Electron where its binary is, unless PORTAL_SHELL says otherwise; the reason goes on screen. */
export function chooseShell(env: NodeJS.ProcessEnv): ShellChoice {
  const wanted = env['PORTAL_SHELL'];
  if (wanted !== undefined && wanted !== '' && wanted !== 'chromium' && wanted !== 'electron') {
    throw new UsageError(`PORTAL_SHELL must be chromium or electron, got '${wanted}'.`);
  }
  if (wanted === 'chromium') return { shell: 'chromium', why: 'PORTAL_SHELL=chromium' };
  const binary = electronBinary(env);
  if (binary !== null) return { shell: 'electron', binary };
  if (wanted === 'electron') {
    throw new UsageError('PORTAL_SHELL=electron, but the Electron binary is not installed (npm run electron:fetch).');
  }
  return { shell: 'chromium', why: 'the Electron binary is not installed (npm run electron:fetch fetches it)' };
}

/** Starts Electron under a launcher that keeps it running. */
export function startElectron(args: readonly string[], binary: string, logger: Logger): ElectronLauncher {
  const values = parseFlags(args, { config: { type: 'string' }, browser: { type: 'string' } }, START_USAGE);
  process.stdout.write(`portal start: running the kiosk in Electron (${binary})\n`);
  const launcher = new ElectronLauncher({
    binary,
    args: [APP_DIR, ...(values.config === undefined ? [] : ['--config', resolve(values.config)])],
    runningAsRoot: process.getuid?.() === 0,
    logger,
  });
  launcher.start();
  return launcher;
}
