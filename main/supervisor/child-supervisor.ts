// One supervisor for the programs a kiosk host keeps running: the system Chromium of the
// Chromium shell, and the Electron app under `portal start`. A child's end is seen once
// however node reports it: a program that could not be started emits `error` and `close` but
// no `exit` (ENOENT, EACCES, EAGAIN), one that ran emits `exit` then `close`. What to do next
// is the owner's policy (a watchdog's decision, a backoff); the supervisor carries it out, and
// never has two of its children running at once.
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
  /**
   * A child is running (node's `spawn` event, which a refused start never emits): the only
   * point where an owner may count a (re)start as done.
   */
  readonly started?: (child: ChildProcess) => void;
  readonly logger: Logger;
}

export class ChildSupervisor {
  /** The running child, whose end the owner's policy hears about. */
  private child: ChildProcess | null = null;
  /** A child killed by replace() that has not ended yet: nothing new starts until it has. */
  private dying: ChildProcess | null = null;
  private startWhenGone = false;
  private pending: ReturnType<typeof setTimeout> | null = null;
  private stopping = false;

  constructor(private readonly options: ChildSupervisorOptions) {}

  get current(): ChildProcess | null {
    return this.child;
  }

  /** Starts the program now, unless one runs already (then this does nothing) or it is stopped. */
  start(): void {
    this.cancelPending();
    if (this.stopping || this.child !== null) return;
    if (this.dying !== null) {
      this.startWhenGone = true;
      return;
    }
    let child: ChildProcess;
    try {
      child = this.options.spawn();
    } catch (error) {
      // spawn() itself throws for a few bad arguments; treated like a refused start.
      this.ended(null, { code: null, signal: null, error: error as Error });
      return;
    }
    this.child = child;
    let ended = false;
    const end = (result: ChildEnd): void => {
      if (ended) return;
      ended = true;
      this.ended(child, result);
    };
    child.once('spawn', () => {
      if (this.child === child) this.options.started?.(child);
    });
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

  /** Kills the current child and starts a fresh one once it is gone (or starts one when none runs). */
  replace(): void {
    this.cancelPending();
    const child = this.child;
    if (child === null) return this.start();
    if (this.stopping) return;
    // Its end is ours, not news for the owner's policy.
    this.child = null;
    this.dying = child;
    this.startWhenGone = true;
    child.kill('SIGKILL');
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves when no child of ours runs. Nothing starts again. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.startWhenGone = false;
    this.cancelPending();
    const running = [this.child, this.dying].filter(
      (child): child is ChildProcess => child !== null && isRunning(child),
    );
    await Promise.all(
      running.map(async (child) => {
        const gone = new Promise((resolve) => {
          child.once('exit', resolve);
          child.once('close', resolve);
        });
        child.kill('SIGTERM');
        const forced = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await gone;
        clearTimeout(forced);
      }),
    );
  }

  /** Every child's end comes here exactly once (`child` is null for a spawn() that threw). */
  private ended(child: ChildProcess | null, result: ChildEnd): void {
    if (child !== null && child === this.dying) {
      this.dying = null;
      if (this.startWhenGone) {
        this.startWhenGone = false;
        this.start();
      }
      return;
    }
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

/** Started, and not yet exited (a refused start never gets a pid). */
function isRunning(child: ChildProcess): boolean {
  return child.pid !== undefined && child.exitCode === null && child.signalCode === null;
}
