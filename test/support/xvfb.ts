// A virtual X display for tests of the kiosk shell, which runs a real, non-headless Chromium.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface Xvfb {
  readonly display: string;
  /** False once the server has exited (by itself or through stop). */
  running(): boolean;
  stop(): Promise<void>;
}

/** One screen of `size` (1280x720 unless told): a kiosk fills it, so it sets what the page draws. */
export async function startXvfb(size: { width: number; height: number } = { width: 1280, height: 720 }): Promise<Xvfb> {
  let number = 90 + Math.floor(Math.random() * 50);
  while (existsSync(`/tmp/.X11-unix/X${number}`) || existsSync(`/tmp/.X${number}-lock`)) number++;
  const child: ChildProcess = spawn(
    'Xvfb',
    [`:${number}`, '-screen', '0', `${size.width}x${size.height}x24`, '-nolisten', 'tcp'],
    {
      stdio: 'ignore',
    },
  );
  const started = Date.now();
  while (!existsSync(`/tmp/.X11-unix/X${number}`)) {
    if (child.exitCode !== null) throw new Error(`Xvfb :${number} exited with ${child.exitCode}`);
    if (Date.now() - started > 10_000) throw new Error(`Xvfb :${number} did not start within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    display: `:${number}`,
    running: () => child.exitCode === null && child.signalCode === null,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}
