// What every subcommand does with its flags: node's parseArgs, strict, with the command's usage
// after any mistake; and the one way a --port is read.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DEFAULT_SIGNAL_PORT } from '../../app/signaling/protocol-limits.js';
import { UsageError } from '../util/usage-error.js';

type Options = NonNullable<ParseArgsConfig['options']>;
type Flags<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; strict: true; allowPositionals: false; options: O }>
>['values'];

/**
 * The flags' values; an unknown flag or a stray argument is a UsageError ending in `usage`. A flag
 * the usage does not mention is our mistake, refused before any argument is read: the usage is
 * what `--help` shows and what docs/surface.md is checked against.
 */
export function parseFlags<const O extends Options>(args: readonly string[], options: O, usage: string): Flags<O> {
  return parseCommandLine(args, options, usage, 0).values;
}

/** As parseFlags, with up to `maxPositionals` arguments besides the flags (`portal status URL`). */
export function parseCommandLine<const O extends Options>(
  args: readonly string[],
  options: O,
  usage: string,
  maxPositionals: number,
): { readonly values: Flags<O>; readonly positionals: readonly string[] } {
  const undocumented = Object.keys(options).filter((flag) => !new RegExp(`--${flag}\\b`).test(usage));
  if (undocumented.length > 0) throw new Error(`--${undocumented.join(', --')} missing from the command's usage`);
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], strict: true, allowPositionals: maxPositionals > 0, options });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${usage}`);
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError(`Unexpected argument '${parsed.positionals[maxPositionals]}'.\n\n${usage}`);
  }
  return { values: parsed.values as Flags<O>, positionals: parsed.positionals };
}

/** --port: 0 (any free port) to 65535; the signaling default when absent. */
export function parsePort(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_SIGNAL_PORT;
  const port = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(port >= 0 && port <= 65535)) {
    throw new UsageError(`--port must be a whole number from 0 to 65535, got '${raw}'.`);
  }
  return port;
}
