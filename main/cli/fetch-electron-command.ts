// `portal fetch-electron [--timeout S] [--stall S]`: the Electron binary, fetched once with
// progress, or one sentence saying why not. `npm start` runs it before `portal start`; a failure
// there only means the kiosk runs in the system Chromium.

import { DEFAULT_FETCH_LIMITS, fetchElectron, type FetchLimits } from './fetch-electron.js';
import { parseFlags } from './command-args.js';
import { UsageError } from '../util/usage-error.js';

export const FETCH_ELECTRON_USAGE = `Usage: portal fetch-electron [--timeout S] [--stall S]

Downloads the Electron binary the kiosk runs in, unless it is already here.
  --timeout S   give up when the whole download takes longer (default ${DEFAULT_FETCH_LIMITS.totalMs / 1000})
  --stall S     give up when nothing arrives for this long (default ${DEFAULT_FETCH_LIMITS.stallMs / 1000})

Exit code 0 when Electron is here (or PORTAL_SHELL=chromium), 1 when it could not be fetched.
ELECTRON_MIRROR names another download server.`;

export function parseFetchArgs(args: readonly string[]): FetchLimits {
  const values = parseFlags(args, { timeout: { type: 'string' }, stall: { type: 'string' } }, FETCH_ELECTRON_USAGE);
  const seconds = (raw: string | undefined, flag: string, fallbackMs: number): number => {
    if (raw === undefined) return fallbackMs;
    const value = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
    if (!(value >= 1)) throw new UsageError(`${flag} must be a whole number of seconds from 1, got '${raw}'.`);
    return value * 1000;
  };
  return {
    totalMs: seconds(values.timeout, '--timeout', DEFAULT_FETCH_LIMITS.totalMs),
    stallMs: seconds(values.stall, '--stall', DEFAULT_FETCH_LIMITS.stallMs),
  };
}

/** Answers with the exit code. */
export async function runFetchElectron(args: readonly string[]): Promise<number> {
  const limits = parseFetchArgs(args);
  const say = (line: string): void => void process.stdout.write(`${line}\n`);
  if (process.env['PORTAL_SHELL'] === 'chromium') {
    say('portal: PORTAL_SHELL=chromium, so Electron is not fetched.');
    return 0;
  }
  const result = await fetchElectron(limits, (line) => say(`portal: ${line}`));
  if (result.ok) {
    say(
      result.fetched ? `portal: Electron is ready (${result.binary}).` : `portal: Electron is here (${result.binary}).`,
    );
    return 0;
  }
  say(`portal: could not fetch Electron: ${result.reason}. The kiosk runs in the system Chromium instead.`);
  return 1;
}
