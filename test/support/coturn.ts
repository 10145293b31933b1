// A coturn TURN server on 127.0.0.1 for one test: long-term credentials (one fixed user), or a
// secret shared with the signaling server (`use-auth-secret`, the TURN REST scheme: it takes any
// `EXPIRY:NAME` signed with the secret until EXPIRY); UDP only, loopback peers allowed (coturn
// refuses them by default), logging to a buffer the test can read.

import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';

export interface Coturn {
  readonly url: string;
  readonly log: () => string;
  stop(): Promise<void>;
}

/** A coturn with one long-term user. */
export interface UserCoturn extends Coturn {
  readonly username: string;
  readonly credential: string;
}

async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** With `authSecret`, coturn checks credentials made from it instead of knowing a user. */
export async function startCoturn(): Promise<UserCoturn>;
export async function startCoturn(options: { readonly authSecret: string }): Promise<Coturn>;
export async function startCoturn(options: { readonly authSecret?: string } = {}): Promise<Coturn | UserCoturn> {
  const port = await freeUdpPort();
  const username = 'portal';
  const credential = 'turn-secret';
  const auth =
    options.authSecret === undefined
      ? ['--lt-cred-mech', `--user=${username}:${credential}`]
      : ['--use-auth-secret', `--static-auth-secret=${options.authSecret}`];
  const child: ChildProcess = spawn('turnserver', [
    '-n',
    '--listening-ip=127.0.0.1',
    '--relay-ip=127.0.0.1',
    `--listening-port=${port}`,
    '--min-port=49160',
    '--max-port=49400',
    ...auth,
    '--realm=portal.test',
    '--no-cli',
    '--no-tls',
    '--no-dtls',
    '--allow-loopback-peers',
    '--log-file=stdout',
    '--simple-log',
    '--verbose',
    '--no-software-attribute',
  ]);
  const log = await untilTurnserverReady(child);
  return {
    url: `turn:127.0.0.1:${port}?transport=udp`,
    ...(options.authSecret === undefined ? { username, credential } : {}),
    log,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

/** Collects a turnserver's output and resolves (with what it has said so far) once it serves. */
export async function untilTurnserverReady(child: ChildProcess): Promise<() => string> {
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const started = Date.now();
  while (!/Total General servers|relay \S+ initialization done/.test(log)) {
    if (child.exitCode !== null) throw new Error(`turnserver exited (${child.exitCode}): ${log}`);
    if (Date.now() - started > 10_000) throw new Error(`turnserver did not start within 10 s: ${log}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return () => log;
}
