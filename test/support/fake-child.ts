// A stand-in for a node ChildProcess that a test drives by hand: it starts (or is refused), exits,
// hangs, and records the signals it was sent, emitting events in the order node does.

import { EventEmitter } from 'node:events';
import type { ChildProcess } from 'node:child_process';

export class FakeChild extends EventEmitter {
  pid: number | undefined = undefined;
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  readonly signals: NodeJS.Signals[] = [];
  readonly stderr = null;
  readonly args: readonly string[];
  /** What it does when sent a signal: exit with it (default) or ignore all but SIGKILL (hung). */
  onKill: 'exit' | 'ignore' = 'exit';

  constructor(args: readonly string[] = []) {
    super();
    this.args = args;
  }

  asChild(): ChildProcess {
    return this as unknown as ChildProcess;
  }

  /** The program runs: node's `spawn` event. */
  run(pid = 1000 + Math.floor(Math.random() * 1000)): this {
    this.pid = pid;
    this.emit('spawn');
    return this;
  }

  /** The OS would not start it: `error`, then `close`, and never `exit` (what node does). */
  refuse(code = 'ENOENT'): this {
    this.emit('error', Object.assign(new Error(`spawn browser ${code}`), { code }));
    this.emit('close', -2, null);
    return this;
  }

  exit(code: number | null, signal: NodeJS.Signals | null = null): this {
    this.exitCode = code;
    this.signalCode = signal;
    this.emit('exit', code, signal);
    this.emit('close', code, signal);
    return this;
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    this.signals.push(signal);
    const dies = this.onKill === 'exit' || signal === 'SIGKILL';
    if (dies && this.pid !== undefined && this.exitCode === null && this.signalCode === null) {
      queueMicrotask(() => this.exit(null, signal));
    }
    return true;
  }
}
