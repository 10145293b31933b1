#!/usr/bin/env node
// The `portal` command.

import { createJsonLineLogger, createStdoutLogger } from '../log/json-line-logger.js';
import { openLogFile, type LogFile } from '../log/log-file.js';
import { AUTOSTART_USAGE, runInstallAutostart } from './install-autostart-command.js';
import { DEMO_USAGE, runDemo } from './demo-command.js';
import { KIOSK_USAGE, runKiosk } from './kiosk-command.js';
import { SERVE_USAGE, runServe } from './serve-command.js';
import { electronBinary } from './electron-binary.js';
import { UsageError } from './usage-error.js';

const USAGE = `Usage: portal <command> [options]

Commands:
  start     this site's kiosk, from its config file (portal start --help)
  kiosk     this site's kiosk in a supervised system Chromium (portal kiosk --help)
  demo      two sites side by side on this machine, for a first look (portal demo --help)
  serve     the standalone signaling server (portal serve --help)
  install-autostart   start the kiosk with the machine (portal install-autostart --help)`;

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  if (command === 'serve') {
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`${SERVE_USAGE}\n`);
      return 0;
    }
    const logger = createStdoutLogger('portal.serve');
    // Listen for the stop signals before anything starts: a script may send SIGTERM the moment
    // it reads the listening line.
    const stopRequested = untilStopSignal();
    const server = await runServe(rest, logger);
    await stopRequested;
    await server.close();
    return 0;
  }
  if (command === 'demo') {
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`${DEMO_USAGE}\n`);
      return 0;
    }
    const stopRequested = untilStopSignal();
    const demo = await runDemo(rest, createStdoutLogger('portal.demo'));
    await stopRequested;
    await demo.stop();
    return 0;
  }
  if (command === 'install-autostart') {
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`${AUTOSTART_USAGE}\n`);
      return 0;
    }
    await runInstallAutostart(rest);
    return 0;
  }
  if (command === 'kiosk' || command === 'start') {
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`${KIOSK_USAGE.replace('portal kiosk', `portal ${command}`)}\n`);
      return 0;
    }
    // Log lines go to stdout, and to portal.log beside the config once its directory is known.
    const sinks: Array<(line: string) => void> = [(line) => process.stdout.write(`${line}\n`)];
    const logger = createJsonLineLogger({
      name: `portal.${command}`,
      write: (line) => sinks.forEach((sink) => sink(line)),
    });
    let logFile: LogFile | null = null;
    const attachLogFile = (directory: string): void => {
      const file = openLogFile(directory);
      logFile = file;
      sinks.push((line) => file.write(line));
    };
    if (command === 'start') {
      // The Electron shell is not part of this build yet; say so and which shell runs instead.
      const electron = electronBinary();
      const why = electron === null ? 'the Electron binary is not installed' : 'the Electron shell is not built yet';
      process.stdout.write(`portal start: ${why}; running the kiosk in the system Chromium\n`);
    }
    const stopRequested = untilStopSignal();
    const kiosk = await runKiosk(rest, logger, attachLogFile);
    await stopRequested;
    await kiosk.stop();
    await (logFile as LogFile | null)?.close();
    return 0;
  }
  throw new UsageError(`Unknown command '${command}'.\n\n${USAGE}`);
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

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Expected failures (a taken port, a bad flag) carry a sentence; the stack only helps us.
    const detail = process.env['PORTAL_DEBUG'] && error instanceof Error ? `\n${error.stack ?? ''}` : '';
    process.stderr.write(`portal: ${error instanceof Error ? error.message : String(error)}${detail}\n`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
