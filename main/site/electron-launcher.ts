// `portal start` with Electron: runs the Electron app as a child and keeps it running. An app
// that crashes is started again (with a growing pause if it keeps crashing), one that asks for
// it is relaunched with hardware acceleration off, one that quits by itself (another Portal
// already runs here) ends the launcher. SIGTERM to the launcher stops the app cleanly.

import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from '../../app/log/logger.js';
import { DISABLE_GPU_SWITCH, RELAUNCH_WITHOUT_GPU_EXIT } from '../electron/gpu-policy.js';
import { stopChild } from '../util/processes.js';

export interface ElectronLauncherOptions {
  readonly binary: string;
  /** The app directory and Portal's own switches (`--config FILE`). */
  readonly args: readonly string[];
  /** Electron, like Chromium, refuses to run as root without --no-sandbox. */
  readonly runningAsRoot: boolean;
  readonly logger: Logger;
  /** Pause before a restart after a crash: doubles from `minMs` up to `maxMs`. */
  readonly backoff?: { readonly minMs: number; readonly maxMs: number };
}

const STOP_GRACE_MS = 10_000;
/** Up this long, a crash counts as a first one again. */
const STABLE_MS = 60_000;

export class ElectronLauncher {
  private child: ChildProcess | null = null;
  private stopping = false;
  private gpuOff = false;
  private pause: number;
  private pending: ReturnType<typeof setTimeout> | null = null;
  private finish: () => void = () => {};
  /** Settles when the app quit by itself, or after stop(). */
  readonly done: Promise<void> = new Promise((resolve) => (this.finish = resolve));

  constructor(private readonly options: ElectronLauncherOptions) {
    this.pause = options.backoff?.minMs ?? 1_000;
  }

  start(): void {
    if (this.options.runningAsRoot) {
      this.options.logger.warn('electron-no-sandbox', {
        reason: 'running as root: Electron needs --no-sandbox; run Portal as a normal user to keep the sandbox',
      });
    }
    this.launch();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.pending) clearTimeout(this.pending);
    await stopChild(this.child, STOP_GRACE_MS);
    this.finish();
  }

  private launch(): void {
    if (this.stopping) return;
    const args = [
      ...this.options.args,
      ...(this.gpuOff ? [DISABLE_GPU_SWITCH] : []),
      ...(this.options.runningAsRoot ? ['--no-sandbox'] : []),
    ];
    const startedAt = Date.now();
    const child = spawn(this.options.binary, args, {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, PORTAL_SUPERVISED: '1' },
    });
    this.child = child;
    this.options.logger.info('electron-started', { pid: child.pid ?? null, gpu: !this.gpuOff });
    child.on('error', (error) => this.options.logger.error('electron-spawn-failed', { message: error.message }));
    child.on('exit', (code, signal) => {
      if (this.child !== child) return;
      this.child = null;
      if (this.stopping) return;
      if (code === RELAUNCH_WITHOUT_GPU_EXIT) {
        this.options.logger.warn('electron-relaunch-without-gpu', {});
        this.gpuOff = true;
        this.launch();
        return;
      }
      if (code === 0) {
        this.options.logger.info('electron-quit', {});
        this.finish();
        return;
      }
      if (Date.now() - startedAt > STABLE_MS) this.pause = this.options.backoff?.minMs ?? 1_000;
      this.options.logger.warn('electron-exited', { code, signal, restartInMs: this.pause });
      this.pending = setTimeout(() => this.launch(), this.pause);
      this.pause = Math.min(this.pause * 2, this.options.backoff?.maxMs ?? 30_000);
    });
  }
}
