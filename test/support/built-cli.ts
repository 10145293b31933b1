// Runs the built `portal` command as a child process, the way a user or a script would.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const PORTAL_BIN = fileURLToPath(new URL('../../dist/main/cli/portal.js', import.meta.url));

export function assertBuilt(): void {
  if (!existsSync(PORTAL_BIN))
    throw new Error(`${PORTAL_BIN} is missing: run \`npm run build\` first (npm test does).`);
}

export interface RunningCli {
  readonly child: ChildProcessWithoutNullStreams;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first stdout line matching `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

/** `prefix` runs the command through another (`ip netns exec NAME`, for the network lab). */
export function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  prefix: readonly string[] = [],
): RunningCli {
  assertBuilt();
  const command = [...prefix, process.execPath, PORTAL_BIN, ...args];
  const child = spawn(command[0]!, command.slice(1), { env: { ...process.env, ...env } });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const listener of listeners) listener();
  });
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForLine(pattern, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          for (const line of out.split('\n')) {
            const match = line.match(pattern);
            if (match) {
              listeners.delete(check);
              clearTimeout(timer);
              resolve(match);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; stdout: ${out} stderr: ${err}`));
        }, timeoutMs);
        listeners.add(check);
        void exited.then(() => {
          if (listeners.has(check)) {
            listeners.delete(check);
            clearTimeout(timer);
            reject(new Error(`exited before printing ${pattern}; stdout: ${out} stderr: ${err}`));
          }
        });
        check();
      });
    },
  };
}

/** `portal serve` on 127.0.0.1 with the e2e key, on `port` (0: a free one), tracked in `servers`. */
export async function servePortal(
  servers: RunningCli[],
  port = 0,
  extraArgs: readonly string[] = [],
): Promise<{ readonly cli: RunningCli; readonly url: string; readonly port: number }> {
  const cli = runCli(['serve', '--host', '127.0.0.1', '--port', String(port), '--key', 'e2e-key', ...extraArgs]);
  servers.push(cli);
  const [, url] = await cli.waitForLine(/^listening on (\S+)$/);
  return { cli, url: url!, port: Number(new URL(url!).port) };
}
