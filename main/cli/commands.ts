// Portal's commands: one entry per subcommand, with its summary, its usage and what it runs.
// docs/surface.md lists each of them with its flags; a test holds the two together.

import { createStdoutLogger } from '../log/json-line-logger.js';
import { createKioskLogger } from '../log/kiosk-logger.js';
import { DEMO_USAGE, runDemo } from './demo-command.js';
import { FETCH_ELECTRON_USAGE, runFetchElectron } from './fetch-electron-command.js';
import { AUTOSTART_USAGE, runInstallAutostart } from './install-autostart-command.js';
import { KIOSK_USAGE, runKiosk } from './kiosk-command.js';
import { SERVE_USAGE, runServe } from './serve-command.js';
import { STATUS_USAGE, runStatus } from './status-command.js';
import { chooseShell, START_USAGE, startElectron } from './start-command.js';

export interface Command {
  readonly summary: string;
  readonly usage: string;
  /** Resolves with the exit code, or nothing for 0. */
  run(args: readonly string[]): Promise<number | void>;
}

/** Something running until SIGTERM or SIGINT: a server, a kiosk host. */
interface Running {
  stop(): Promise<void>;
  /** Settles when it ended by itself. */
  readonly done?: Promise<void>;
}

export const COMMANDS: Readonly<Record<string, Command>> = {
  start: {
    summary: "this site's kiosk, from its config file: Electron where installed, else Chromium",
    usage: START_USAGE,
    async run(args) {
      const choice = chooseShell(process.env);
      if (choice.shell === 'chromium') {
        process.stdout.write(`portal start: ${choice.why}; running the kiosk in the system Chromium\n`);
        await kioskUntilStopped('start', args);
        return;
      }
      const binary = choice.binary;
      await untilStopped(async () => startElectron(args, binary, createStdoutLogger('portal.start')));
    },
  },
  kiosk: {
    summary: "this site's kiosk in a supervised system Chromium",
    usage: KIOSK_USAGE,
    run: (args) => kioskUntilStopped('kiosk', args),
  },
  demo: {
    summary: 'two sites side by side on this machine, for a first look',
    usage: DEMO_USAGE,
    run: (args) => untilStopped(() => runDemo(args, createStdoutLogger('portal.demo'))),
  },
  serve: {
    summary: 'the standalone signaling server',
    usage: SERVE_USAGE,
    run: (args) =>
      untilStopped(() =>
        runServe(args, createStdoutLogger('portal.serve')).then((server) => ({ stop: () => server.close() })),
      ),
  },
  status: {
    summary: "a site's health on one screen, from its /healthz; exit 0 when live or closed by its hours",
    usage: STATUS_USAGE,
    run: (args) => runStatus(args),
  },
  'fetch-electron': {
    summary: 'download the Electron binary the kiosk runs in (npm start does this)',
    usage: FETCH_ELECTRON_USAGE,
    run: (args) => runFetchElectron(args),
  },
  'install-autostart': {
    summary: 'start the kiosk with the machine',
    usage: AUTOSTART_USAGE,
    run: (args) => runInstallAutostart(args),
  },
};

/**
 * Starts something and stops it on SIGTERM or SIGINT. The signal handlers go in before anything
 * starts: a script may send SIGTERM the moment it reads the listening line.
 */
async function untilStopped(start: () => Promise<Running>): Promise<void> {
  const stopRequested = untilStopSignal();
  const running = await start();
  await Promise.race([stopRequested, running.done ?? stopRequested]);
  await running.stop();
}

/** A kiosk logs to stdout, and to portal.log beside its config once that directory is known. */
async function kioskUntilStopped(name: string, args: readonly string[]): Promise<void> {
  const log = createKioskLogger(`portal.${name}`);
  await untilStopped(() =>
    runKiosk(
      args,
      log.logger,
      (directory) => log.attachLogFile(directory),
      () => log.recent(),
    ),
  );
  await log.close();
}

function untilStopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}
