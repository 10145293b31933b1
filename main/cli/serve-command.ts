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

export const SERVE_USAGE = `Usage: portal serve [--host H] [--port P] [--key K | --open] [--tls-cert F --tls-key F]
                    [--turn-url URL[,URL...] --turn-secret S [--turn-ttl SECONDS]]

  --host H            address to listen on (default 0.0.0.0, every interface)
  --port P            port, 0 for any free one (default 8787)
  --key K             the shared secret every site must send in "join"
  --open              accept any site without a key (only on a network you trust)
  --tls-cert F        PEM certificate file: serve https:// and wss://
  --tls-key F         PEM private key file for --tls-cert
  --turn-url URL      a TURN server the sites may relay through: turn: or turns: URLs, comma
                      separated or the flag again, at most ${MAX_TURN_URLS}
  --turn-secret S     the secret this server shares with that TURN server (coturn's
                      static-auth-secret, with use-auth-secret); each site gets credentials
                      made from it that expire, never S itself
  --turn-ttl SECONDS  how long those credentials last, ${MIN_TURN_TTL_SECONDS} to ${MAX_TURN_TTL_SECONDS} (default ${DEFAULT_TURN_TTL_SECONDS}, a day)`;

/** Where Vite puts the renderer, relative to this file once compiled to dist/main/cli/. */
export function parseServeArgs(args: readonly string[]): SignalingServerOptions {
  const values = parseFlags(
    args,
    {
      host: { type: 'string' },
      port: { type: 'string' },
      key: { type: 'string' },
      open: { type: 'boolean' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'turn-url': { type: 'string', multiple: true },
      'turn-secret': { type: 'string' },
      'turn-ttl': { type: 'string' },
    },
    SERVE_USAGE,
  );
  if (values.key !== undefined && values.open) {
    throw new UsageError('Give either --key or --open, not both.');
  }
  if (values.key === undefined && !values.open) {
    throw new UsageError(
      'Refusing to start without a key: pass --key K (the secret both sites share) or --open to let any site in.',
    );
  }
  if (values.key === '') throw new UsageError('--key must not be empty.');
  const keys: KeyPolicy = values.key === undefined ? { open: true } : { key: values.key };
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
  const turn = parseTurn(values['turn-url'], values['turn-secret'], values['turn-ttl']);
  if (turn !== null) options.turn = turn;
  return options;
}

/** --turn-url, --turn-secret and --turn-ttl: all or nothing, checked as the config file's signaling.turn. */
function parseTurn(
  urlFlags: readonly string[] | undefined,
  secret: string | undefined,
  rawTtl: string | undefined,
): TurnOptions | null {
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
  if (secret === '') throw new UsageError('--turn-secret must not be empty.');
  if (secret.length > MAX_TURN_SECRET_LENGTH) {
    throw new UsageError(`--turn-secret must be at most ${MAX_TURN_SECRET_LENGTH} characters.`);
  }
  return { urls, secret, ttl: parseTurnTtl(rawTtl) };
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
  const options = parseServeArgs(args);
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
