// `portal status [URL] [--config FILE] [--timeout SECONDS]`: a site's health from afar, on one
// screen, from its /healthz; exit 0 when all is well (health-summary.ts says what that is), 1
// when not or when it cannot be asked, so cron or a monitoring system can alert on it. Without a
// URL it asks this machine's kiosk, on the port in its config file. It reads the config file
// and never writes it: a status is no first start.

import { readFile } from 'node:fs/promises';
import { parseConfigText } from '../../app/config/portal-config.js';
import { HealthzSchema, type Healthz } from '../../app/health/healthz.js';
import { DEFAULT_SIGNAL_PORT } from '../../app/signaling/protocol-limits.js';
import { firstIssue } from '../../app/validation/first-issue.js';
import { plainIssueMessage } from '../../app/validation/plain-issue-message.js';
import { defaultConfigPath } from '../config/config-store.js';
import { UsageError } from '../util/usage-error.js';
import { parseCommandLine } from './command-args.js';
import { summarize } from './health-summary.js';

const DEFAULT_TIMEOUT_SECONDS = 5;

export const STATUS_USAGE = `Usage: portal status [URL] [--config FILE] [--timeout SECONDS]

  URL                a Portal's address: http(s)://HOST:PORT, its /healthz, or its ws(s)://.../signal
                     (default: this machine's kiosk, http://127.0.0.1:PORT with the port from its
                     config file)
  --config FILE      the config file to take the port from (default: portal/config.json in
                     $XDG_CONFIG_HOME or ~/.config)
  --timeout SECONDS  how long to wait for an answer, 1 to 60 (default ${DEFAULT_TIMEOUT_SECONDS})

Exit 0 when every kiosk there is live or closed by its opening hours (a server without kiosks:
when it answers), 1 when one is not, or when there is no good answer; 2 for a bad command line.`;

export interface StatusIo {
  readonly write: (text: string) => void;
  readonly now: () => number;
}

export async function runStatus(
  args: readonly string[],
  io: StatusIo = { write: (text) => process.stdout.write(text), now: Date.now },
): Promise<number> {
  const { values, positionals } = parseCommandLine(
    args,
    { config: { type: 'string' }, timeout: { type: 'string' } },
    STATUS_USAGE,
    1,
  );
  const timeoutMs = parseTimeout(values.timeout) * 1000;
  const [raw] = positionals;
  if (raw !== undefined && values.config !== undefined) {
    throw new UsageError(`Either a URL or --config, not both.\n\n${STATUS_USAGE}`);
  }
  const target = raw !== undefined ? { url: healthzUrl(raw), note: null } : await localKiosk(values.config);
  if (target.note !== null) io.write(`${target.note}\n`);
  const healthz = await fetchHealthz(target.url, timeoutMs);
  const summary = summarize(healthz, target.url, io.now());
  io.write(`${summary.text}\n`);
  return summary.ok ? 0 : 1;
}

function parseTimeout(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_TIMEOUT_SECONDS;
  const seconds = /^\d{1,2}$/.test(raw) ? Number(raw) : NaN;
  if (!(seconds >= 1 && seconds <= 60)) {
    throw new UsageError(`--timeout must be a whole number of seconds from 1 to 60, got '${raw}'.`);
  }
  return seconds;
}

/**
 * The /healthz URL for what a person typed: a base URL, a /healthz URL, the signaling URL from a
 * config file (ws:// is http://, wss:// is https://), or HOST:PORT without a scheme.
 */
export function healthzUrl(raw: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UsageError(`'${raw}' is not a URL; give one such as http://dublin.local:8787.`);
  }
  const scheme = { 'http:': 'http:', 'https:': 'https:', 'ws:': 'http:', 'wss:': 'https:' }[url.protocol];
  if (scheme === undefined) {
    throw new UsageError(`'${raw}' is a ${url.protocol} URL; give an http://, https://, ws:// or wss:// one.`);
  }
  const path = url.pathname.replace(/\/signal\/?$/, '/').replace(/\/healthz\/?$/, '/');
  return `${scheme}//${url.host}${path.replace(/\/?$/, '/')}healthz`;
}

/** This machine's kiosk: the port from its config file, or its last good copy, else the default. */
async function localKiosk(configPath: string | undefined): Promise<{ url: string; note: string | null }> {
  const path = configPath ?? defaultConfigPath();
  const at = (port: number) => `http://127.0.0.1:${port}/healthz`;
  const problems: string[] = [];
  for (const file of [path, `${path}.last-good`]) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      problems.push(`${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      continue;
    }
    const parsed = parseConfigText(text);
    if (parsed.ok) return { url: at(parsed.config.signaling.port), note: null };
    problems.push(`${file}: ${parsed.error}`);
  }
  if (configPath !== undefined) {
    throw new Error(`Could not take the kiosk's port from ${path} (${problems[0]}); give its URL instead.`);
  }
  return {
    url: at(DEFAULT_SIGNAL_PORT),
    note: `No usable config file at ${path}; asking the default port ${DEFAULT_SIGNAL_PORT}.`,
  };
}

async function fetchHealthz(url: string, timeoutMs: number): Promise<Healthz> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
  } catch (error) {
    throw new Error(`Could not reach ${url}: ${reachFailure(error, timeoutMs)}.`);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw new Error(`${url} stopped answering midway: ${reachFailure(error, timeoutMs)}.`);
  }
  if (!response.ok) {
    throw new Error(`${url} answered ${response.status} ${response.statusText}: is it a Portal's address?`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const start = text.trim().slice(0, 40);
    throw new Error(
      `${url} answered with something that is not JSON (${start ? `'${start}'` : 'nothing'}): is it a Portal's /healthz?`,
    );
  }
  const parsed = HealthzSchema.safeParse(json, { error: plainIssueMessage });
  if (!parsed.success) {
    const { field, message } = firstIssue(parsed.error, 'the answer');
    throw new Error(`${url} answered, but not as a Portal's /healthz does: \`${field}\` ${message}.`);
  }
  return parsed.data;
}

/** Why a request failed, in words: node's fetch hides the reason in `cause`. */
function reachFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs / 1000} s`;
  }
  const cause = error instanceof Error ? (error.cause as NodeJS.ErrnoException | undefined) : undefined;
  switch (cause?.code) {
    case 'ECONNREFUSED':
      return 'nothing is listening there (is the kiosk or server running, on that port?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'no such host';
    case 'ECONNRESET':
      return 'the connection was reset';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'that host cannot be reached from here';
    default:
      return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  }
}
