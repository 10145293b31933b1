// Structured logs: one JSON object per line, `{"time","level","logger","event",...fields}`.

import { LOG_LEVELS, type LogFields, type LogLevel, type LogValue, type Logger } from '../../app/log/logger.js';

export interface JsonLineLoggerOptions {
  readonly name: string;
  /** Where each finished line goes (without its newline). */
  readonly write: (line: string) => void;
  readonly level?: LogLevel;
  readonly now?: () => Date;
}

export function createJsonLineLogger(options: JsonLineLoggerOptions): Logger {
  const minimum = LOG_LEVELS.indexOf(options.level ?? 'info');
  const now = options.now ?? (() => new Date());
  const at =
    (level: LogLevel) =>
    (event: string, fields: LogFields = {}): void => {
      if (LOG_LEVELS.indexOf(level) < minimum) return;
      const line: Record<string, LogValue> = { time: now().toISOString(), level, logger: options.name, event };
      // A field never overwrites the fixed keys.
      for (const [key, value] of Object.entries(fields)) if (!Object.hasOwn(line, key)) line[key] = value;
      options.write(JSON.stringify(line));
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (name) => createJsonLineLogger({ ...options, name: `${options.name}.${name}` }),
  };
}

/** A logger that writes to this process's stdout. */
export function createStdoutLogger(name: string, level: LogLevel = 'info'): Logger {
  return createJsonLineLogger({ name, level, write: (line) => process.stdout.write(`${line}\n`) });
}
