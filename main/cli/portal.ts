#!/usr/bin/env node
// The `portal` command: finds the subcommand in COMMANDS and runs it; a mistake in how it was
// called is one sentence and exit code 2, a failure one sentence and exit code 1.

import { COMMANDS } from './commands.js';
import { UsageError } from '../util/usage-error.js';

const USAGE = `Usage: portal <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, command]) => `  ${name.padEnd(18)} ${command.summary} (portal ${name} --help)`)
  .join('\n')}`;

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) throw new UsageError(`Unknown command '${name}'.\n\n${USAGE}`);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  return (await command.run(rest)) ?? 0;
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
