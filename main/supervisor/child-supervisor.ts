// One supervisor for the programs a kiosk host keeps running: the system Chromium of the
// Chromium shell, and the Electron app under `portal start`. A child's end is seen once
// however node reports it: a program that could not be started emits `error` and `close` but
// no `exit` (ENOENT, EACCES, EAGAIN), one that ran emits `exit` then `close`. What to do next
// is the owner's policy (a watchdog's decision, a backoff); the supervisor carries it out.
// The OS comes in through `spawn`, so tests pass fake children.

import type { ChildProcess } from 'node:child_process';
import type { Logger } from '../../app/log/logger.js';

/** How a child ended: its exit code or signal, or the error that kept it from starting. */
export interface ChildEnd {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when the program never ran (spawn refused). */
  readonly error: Error | null;
}

export interface ChildSupervisorOptions {
  /** Starts the program once. */
  readonly spawn: () => ChildProcess;
  /** The child ended by itself (not through stop() or replace()): restart it after `ms`, or not. */
  readonly ended: (end: ChildEnd) => { readonly restartInMs: number } | null;
  /** A child is running (node's `spawn` event): the only point where a (re)start counts. */
  readonly started?: (child: ChildProcess) => void;
  readonly logger: Logger;
}

export class ChildSupervisor {
  private child: ChildProcess | null = null;
  private pending: ReturnType<typeof setTimeout> | null = null;
  private stopping = false;

  constructor(private readonly options: ChildSupervisorOptions) {}

  get current(): ChildProcess | null {
    return this.child;
  }

  start(): void {
    this.cancelPending();
    if (this.stopping || this.child !== null) return;
    let child: ChildProcess;
    try {
      child = this.options.spawn();
    } catch (error) {
      // spawn() itself throws for a few bad arguments; treated like a refused start.
      this.end(null, { code: null, signal: null, error: error as Error });
      return;
    }
    this.child = child;
    let ended = false;
    const end = (result: ChildEnd): void => {
      if (ended) return;
      ended = true;
      this.end(child, result);
    };
    child.once('spawn', () => this.options.started?.(child));
    child.on('error', (error) => {
      // An error after the child started (a failed kill) is not its end; one before is.
      if (child.pid === undefined) end({ code: null, signal: null, error });
      else this.options.logger.warn('child-error', { message: error.message });
    });
    child.once('exit', (code, signal) => end({ code, signal, error: null }));
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => end({ code, signal, error: null }));
  }

  /** Starts the program again in `ms` (a cool-down, a backoff); the current child is left alone. */
  startIn(ms: number): void {
    this.cancelPending();
    if (this.stopping) return;
    this.pending = setTimeout(() => this.start(), ms);
  }

  /** Kills the current child and starts a fresh one (or just starts one when none runs). */
  replace(): void {
    const child = this.child;
    if (child === null) return this.start();
    // Its end is ours, not news for the owner's policy: start the next one when it is gone.
    this.child = null;
    child.removeAllListeners('exit');
    child.removeAllListeners('close');
    child.once('close', () => this.start());
    child.kill('SIGKILL');
  }

  /** SIGTERM, then SIGKILL after `graceMs`; nothing is started again. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.cancelPending();
    const child = this.child;
    if (child === null || child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const forced = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await gone;
    clearTimeout(forced);
  }

  private end(child: ChildProcess | null, result: ChildEnd): void {
    if (child !== null && this.child !== child) return;
    this.child = null;
    if (this.stopping) return;
    const next = this.options.ended(result);
    if (next !== null) this.startIn(next.restartInMs);
  }

  private cancelPending(): void {
    if (this.pending !== null) clearTimeout(this.pending);
    this.pending = null;
  }
}
