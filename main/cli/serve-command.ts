// `portal serve`: the standalone signaling server, as docs/surface.md gives it.

import { readFileSync } from 'node:fs';
import {
  DEFAULT_TURN_TTL_SECONDS,
  MAX_TURN_SECRET_LENGTH,
  MAX_TURN_TTL_SECONDS,
  MAX_TURN_URLS,
  MIN_TURN_TTL_SECONDS,
  TURN_URL_PATTERN,
} from '../../app/config/turn-config.js';
import type { Logger } from '../../app/log/logger.js';
import type { KeyPolicy } from '../signaling/key-policy.js';
import { BUILT_RENDERER_DIR } from '../site/built-paths.js';
import {
  startSignalingServer,
  type SignalingServer,
  type SignalingServerOptions,
} from '../signaling/signaling-server.js';
import type { TurnOptions } from '../signaling/turn-credentials.js';
import { parseFlags, parsePort } from './command-args.js';
import { UsageError } from '../util/usage-error.js';

export const SERVE_USAGE = `Usage: portal serve [--host H] [--port P] [--key K | --key-file F | --open]
                    [--tls-cert F --tls-key F] [--public-name NAME[,NAME...]]
                    [--turn-url URL[,URL...] (--turn-secret S | --turn-secret-file F) [--turn-ttl SECONDS]]

  --host H              address to listen on (default 0.0.0.0, every interface)
  --port P              port, 0 for any free one (default 8787)
  --key K               the shared secret every site must send in "join"
  --key-file F          read that secret from file F instead (its first line), so it is not
                        on the command line for every user of the machine to see; or set
                        PORTAL_KEY
  --open                accept any site without a key (only on a network you trust)
  --tls-cert F          PEM certificate file (the chain, server first): serve https:// and wss://
  --tls-key F           PEM private key file for --tls-cert
  --public-name NAME    a DNS name the page is reached by (the name in the browser's address
                        bar, or the Host a reverse proxy passes on); comma separated or the
                        flag again. IP addresses, localhost and this machine's name need none
  --turn-url URL        a TURN server the sites may relay through: turn: or turns: URLs, comma
                        separated or the flag again, at most ${MAX_TURN_URLS}
  --turn-secret S       the secret this server shares with that TURN server (coturn's
                        static-auth-secret, with use-auth-secret); each site gets credentials
                        made from it that expire, never S itself
  --turn-secret-file F  read that secret from file F instead (its first line); or set
                        PORTAL_TURN_SECRET
  --turn-ttl SECONDS    how long those credentials last, ${MIN_TURN_TTL_SECONDS} to ${MAX_TURN_TTL_SECONDS} (default ${DEFAULT_TURN_TTL_SECONDS}, a day)`;

/** Where Vite puts the renderer, relative to this file once compiled to dist/main/cli/. */
export function parseServeArgs(args: readonly string[], env: NodeJS.ProcessEnv = {}): SignalingServerOptions {
  const values = parseFlags(
    args,
    {
      host: { type: 'string' },
      port: { type: 'string' },
      key: { type: 'string' },
      'key-file': { type: 'string' },
      open: { type: 'boolean' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'public-name': { type: 'string', multiple: true },
      'turn-url': { type: 'string', multiple: true },
      'turn-secret': { type: 'string' },
      'turn-secret-file': { type: 'string' },
      'turn-ttl': { type: 'string' },
    },
    SERVE_USAGE,
  );
  const key = secretFrom('--key', values.key, '--key-file', values['key-file'], 'PORTAL_KEY', env);
  if (key !== undefined && values.open) {
    throw new UsageError(
      `Give either --key or --open, not both${key.from === 'PORTAL_KEY' ? ' (PORTAL_KEY is set)' : ''}.`,
    );
  }
  if (key === undefined && !values.open) {
    throw new UsageError(
      'Refusing to start without a key: pass --key K or --key-file F (the secret both sites share), or --open to let any site in.',
    );
  }
  if (key?.value === '') throw new UsageError(`${key.from} must not be empty.`);
  const keys: KeyPolicy = key === undefined ? { open: true } : { key: key.value };
  if (values.host === '') throw new UsageError('--host must not be empty; use 0.0.0.0 for every interface.');
  const options: { -readonly [K in keyof SignalingServerOptions]: SignalingServerOptions[K] } = {
    keys,
    port: parsePort(values.port),
    staticDir: BUILT_RENDERER_DIR,
  };
  if (values.host !== undefined) options.host = values.host;
  const certFile = values['tls-cert'];
  const keyFile = values['tls-key'];
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new UsageError('--tls-cert and --tls-key go together: give both files, or neither.');
  }
  if (certFile !== undefined && keyFile !== undefined) {
    options.tls = { cert: readPem(certFile, '--tls-cert'), key: readPem(keyFile, '--tls-key') };
  }
  const names = parsePublicNames(values['public-name']);
  if (names.length > 0) options.publicNames = names;
  const secret = secretFrom(
    '--turn-secret',
    values['turn-secret'],
    '--turn-secret-file',
    values['turn-secret-file'],
    'PORTAL_TURN_SECRET',
    env,
  );
  const turn = parseTurn(values['turn-url'], secret, values['turn-ttl']);
  if (turn !== null) options.turn = turn;
  return options;
}

/** A secret and where it came from: the flag, its file's first line, or the environment; one only. */
function secretFrom(
  flag: string,
  value: string | undefined,
  fileFlag: string,
  file: string | undefined,
  variable: string,
  env: NodeJS.ProcessEnv,
): { readonly value: string; readonly from: string } | undefined {
  if (value !== undefined && file !== undefined) throw new UsageError(`Give either ${flag} or ${fileFlag}, not both.`);
  if (value !== undefined) return { value, from: flag };
  if (file !== undefined) return { value: readSecretFile(file, fileFlag), from: fileFlag };
  const fromEnv = env[variable];
  return fromEnv === undefined ? undefined : { value: fromEnv, from: variable };
}

/** The first line of a secret's file (a trailing newline is not part of it). */
function readSecretFile(file: string, flag: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${flag}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  return text.split(/\r?\n/)[0]!;
}

/** --public-name: DNS names, comma separated or the flag again, kept in lower case. */
function parsePublicNames(flags: readonly string[] | undefined): string[] {
  const names = (flags ?? []).flatMap((flag) => flag.split(','));
  for (const name of names) {
    if (name.length > 253 || !/^[a-z0-9]([a-z0-9-]{0,62})(\.[a-z0-9]([a-z0-9-]{0,62}))*\.?$/i.test(name)) {
      throw new UsageError(
        `--public-name takes DNS names such as portal.example.org (no scheme, port or path), got '${name.slice(0, 80)}'.`,
      );
    }
  }
  return names.map((name) => name.toLowerCase().replace(/\.$/, ''));
}

/** --turn-url, --turn-secret and --turn-ttl: all or nothing, checked as the config file's signaling.turn. */
function parseTurn(
  urlFlags: readonly string[] | undefined,
  given: { readonly value: string; readonly from: string } | undefined,
  rawTtl: string | undefined,
): TurnOptions | null {
  // PORTAL_TURN_SECRET alone, left in the environment of a server without TURN, starts none.
  const secret = urlFlags === undefined && given?.from === 'PORTAL_TURN_SECRET' ? undefined : given;
  if ((urlFlags === undefined) !== (secret === undefined)) {
    throw new UsageError('--turn-url and --turn-secret go together: give both, or neither.');
  }
  if (urlFlags === undefined || secret === undefined) {
    if (rawTtl !== undefined) throw new UsageError('--turn-ttl needs --turn-url and --turn-secret.');
    return null;
  }
  const urls = urlFlags.flatMap((flag) => flag.split(','));
  for (const url of urls) {
    if (!TURN_URL_PATTERN.test(url)) {
      throw new UsageError(`--turn-url takes TURN URLs starting with turn: or turns:, got '${url}'.`);
    }
  }
  if (urls.length > MAX_TURN_URLS) {
    throw new UsageError(`--turn-url takes at most ${MAX_TURN_URLS} URLs, got ${urls.length}.`);
  }
  // The secret is never quoted back, not even its length.
  if (secret.value === '') throw new UsageError(`${secret.from} must not be empty.`);
  if (secret.value.length > MAX_TURN_SECRET_LENGTH) {
    throw new UsageError(`${secret.from} must be at most ${MAX_TURN_SECRET_LENGTH} characters.`);
  }
  return { urls, secret: secret.value, ttl: parseTurnTtl(rawTtl) };
}

function parseTurnTtl(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_TURN_TTL_SECONDS;
  const ttl = /^\d{1,7}$/.test(raw) ? Number(raw) : NaN;
  if (!(ttl >= MIN_TURN_TTL_SECONDS && ttl <= MAX_TURN_TTL_SECONDS)) {
    throw new UsageError(
      `--turn-ttl must be a whole number of seconds from ${MIN_TURN_TTL_SECONDS} to ${MAX_TURN_TTL_SECONDS}, got '${raw}'.`,
    );
  }
  return ttl;
}

export async function runServe(args: readonly string[], logger: Logger): Promise<SignalingServer> {
  const options = parseServeArgs(args, process.env);
  const server = await startSignalingServer({ ...options, logger });
  process.stdout.write(`listening on ${server.url}\n`);
  return server;
}

function readPem(file: string, flag: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new UsageError(`${flag}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
}
