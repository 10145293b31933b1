#!/usr/bin/env node
// The `portal` command.

import { createStdoutLogger } from '../log/json-line-logger.js';
import { SERVE_USAGE, runServe } from './serve-command.js';
import { UsageError } from './usage-error.js';

const USAGE = `Usage: portal <command> [options]

Commands:
  serve     the standalone signaling server (portal serve --help)

See README.md for the kiosk commands as they arrive.`;

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
    const server = await runServe(rest, logger);
    await untilStopSignal();
    await server.close();
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
