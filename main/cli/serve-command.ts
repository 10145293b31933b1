// `portal serve`: the standalone signaling server, as docs/surface.md gives it.

import { readFileSync } from 'node:fs';
import type { Logger } from '../../app/log/logger.js';
import type { KeyPolicy } from '../signaling/key-policy.js';
import { BUILT_RENDERER_DIR } from '../site/built-paths.js';
import {
  startSignalingServer,
  type SignalingServer,
  type SignalingServerOptions,
} from '../signaling/signaling-server.js';
import { parseFlags, parsePort } from './command-args.js';
import { UsageError } from '../util/usage-error.js';

export const SERVE_USAGE = `Usage: portal serve [--host H] [--port P] [--key K | --open] [--tls-cert F --tls-key F]

  --host H        address to listen on (default 0.0.0.0, every interface)
  --port P        port, 0 for any free one (default 8787)
  --key K         the shared secret every site must send in "join"
  --open          accept any site without a key (only on a network you trust)
  --tls-cert F    PEM certificate file: serve https:// and wss://
  --tls-key F     PEM private key file for --tls-cert`;

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
  return options;
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
