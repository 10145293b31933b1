// `portal start` with Electron: runs the Electron app as a child and keeps it running. An app
// that crashes is started again (with a growing pause if it keeps crashing), one that asks for
// it is relaunched with hardware acceleration off, one that quits by itself (another Portal
// already runs here) ends the launcher. SIGTERM to the launcher stops the app cleanly.

import { spawn as spawnChild, type ChildProcess } from 'node:child_process';
import type { Logger } from '../../app/log/logger.js';
import { DISABLE_GPU_SWITCH, RELAUNCH_EXIT, RELAUNCH_WITHOUT_GPU_EXIT } from '../electron/gpu-policy.js';
import { ChildSupervisor } from '../supervisor/child-supervisor.js';

export interface ElectronLauncherOptions {
  readonly binary: string;
  /** The app directory and Portal's own switches (`--config FILE`). */
  readonly args: readonly string[];
  /** Electron, like Chromium, refuses to run as root without --no-sandbox. */
  readonly runningAsRoot: boolean;
  readonly logger: Logger;
  /** Pause before a restart after a crash: doubles from `minMs` up to `maxMs`. */
  readonly backoff?: { readonly minMs: number; readonly maxMs: number };
  /** Starts Electron; tests pass a fake. */
  readonly spawn?: (command: string, args: readonly string[], env: NodeJS.ProcessEnv) => ChildProcess;
}

const STOP_GRACE_MS = 10_000;
/** Up this long, a crash counts as a first one again. */
const STABLE_MS = 60_000;

export class ElectronLauncher {
  private readonly app: ChildSupervisor;
  private gpuOff = false;
  private pause: number;
  private startedAt = 0;
  private finish: () => void = () => {};
  /** Settles when the app quit by itself, or after stop(). */
  readonly done: Promise<void> = new Promise((resolve) => (this.finish = resolve));

  constructor(private readonly options: ElectronLauncherOptions) {
    const minMs = options.backoff?.minMs ?? 1_000;
    const maxMs = options.backoff?.maxMs ?? 30_000;
    this.pause = minMs;
    const spawn =
      options.spawn ??
      ((command, args, env) => spawnChild(command, args, { stdio: ['ignore', 'inherit', 'inherit'], env }));
    this.app = new ChildSupervisor({
      spawn: () => {
        this.startedAt = Date.now();
        return spawn(
          options.binary,
          [
            ...options.args,
            ...(this.gpuOff ? [DISABLE_GPU_SWITCH] : []),
            ...(options.runningAsRoot ? ['--no-sandbox'] : []),
          ],
          { ...process.env, PORTAL_SUPERVISED: '1' },
        );
      },
      started: (child) => options.logger.info('electron-started', { pid: child.pid ?? null, gpu: !this.gpuOff }),
      ended: ({ code, signal, error }) => {
        if (code === RELAUNCH_WITHOUT_GPU_EXIT) {
          options.logger.warn('electron-relaunch-without-gpu', {});
          this.gpuOff = true;
          return { restartInMs: 0 };
        }
        if (code === RELAUNCH_EXIT) {
          options.logger.info('electron-relaunch', {});
          return { restartInMs: 0 };
        }
        if (code === 0) {
          options.logger.info('electron-quit', {});
          this.finish();
          return null;
        }
        if (Date.now() - this.startedAt > STABLE_MS) this.pause = minMs;
        const restartInMs = this.pause;
        this.pause = Math.min(this.pause * 2, maxMs);
        if (error !== null) {
          options.logger.error('electron-spawn-failed', { message: error.message, restartInMs });
        } else {
          options.logger.warn('electron-exited', { code, signal, restartInMs });
        }
        return { restartInMs };
      },
      logger: options.logger,
    });
  }

  start(): void {
    if (this.options.runningAsRoot) {
      this.options.logger.warn('electron-no-sandbox', {
        reason: 'running as root: Electron needs --no-sandbox; run Portal as a normal user to keep the sandbox',
      });
    }
    this.app.start();
  }

  async stop(): Promise<void> {
    await this.app.stop(STOP_GRACE_MS);
    this.finish();
  }
}
