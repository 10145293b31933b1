// The DevTools protocol over Chromium's --remote-debugging-pipe: the browser reads commands on
// its fd 3 and writes answers (and events, which the kiosk does not use) on its fd 4, each
// message one JSON text ended by a NUL byte. No port is opened, so no other process on the machine can drive the browser; and the
// browser quits when its end of the pipe closes, so it never outlives the host that started it.
// https://chromedevtools.github.io/devtools-protocol/ (the transport is --remote-debugging-pipe)

import type { Readable, Writable } from 'node:stream';

/** An answer's `result`, or an event's `params`: the protocol's objects, read by the caller. */
export type CdpObject = Record<string, unknown>;

/** What the kiosk needs of a DevTools connection; tests pass a fake. */
export interface CdpConnection {
  send(method: string, params?: CdpObject, sessionId?: string): Promise<CdpObject>;
  /** Settles with why, once the pipe has closed (the browser exited, or dispose()). */
  readonly closed: Promise<string>;
  readonly isClosed: boolean;
}

/** A protocol error answer ({ error: { code, message } }), or a call that got no answer. */
export class CdpError extends Error {
  constructor(
    readonly method: string,
    message: string,
  ) {
    super(`${method}: ${message}`);
    this.name = 'CdpError';
  }
}

export interface CdpPipeOptions {
  /** How long a command may wait for its answer (default 10 s). */
  readonly timeoutMs?: number;
}

/** The most a message may grow to before its NUL: far above any answer the kiosk asks for. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

interface Pending {
  readonly method: string;
  readonly resolve: (result: CdpObject) => void;
  readonly reject: (error: Error) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

export class CdpPipe implements CdpConnection {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private chunks: Buffer[] = [];
  private buffered = 0;
  private closeReason: string | null = null;
  private settleClosed: (reason: string) => void = () => {};
  readonly closed: Promise<string>;
  private readonly timeoutMs: number;

  /** `toBrowser` is the browser's fd 3, `fromBrowser` its fd 4. */
  constructor(
    private readonly toBrowser: Writable,
    private readonly fromBrowser: Readable,
    options: CdpPipeOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.closed = new Promise((resolve) => (this.settleClosed = resolve));
    fromBrowser.on('data', (chunk: Buffer) => this.received(chunk));
    fromBrowser.once('end', () => this.close('the browser closed its DevTools pipe'));
    fromBrowser.once('close', () => this.close('the browser closed its DevTools pipe'));
    fromBrowser.on('error', (error: Error) => this.close(`the DevTools pipe failed: ${error.message}`));
    // EPIPE when the browser is gone: the pipe is over, nothing to throw.
    toBrowser.on('error', (error: Error) => this.close(`the DevTools pipe failed: ${error.message}`));
  }

  get isClosed(): boolean {
    return this.closeReason !== null;
  }

  send(method: string, params: CdpObject = {}, sessionId?: string): Promise<CdpObject> {
    if (this.closeReason !== null) return Promise.reject(new CdpError(method, this.closeReason));
    const id = this.nextId++;
    return new Promise<CdpObject>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new CdpError(method, `no answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(id, { method, resolve, reject, timer });
      const message = { id, method, params, ...(sessionId === undefined ? {} : { sessionId }) };
      this.toBrowser.write(`${JSON.stringify(message)}\0`);
    });
  }

  /**
   * Stops listening and closes our end of the pipe (on which the browser quits). Every command
   * still waiting is refused. Idempotent.
   */
  dispose(): void {
    this.close('the DevTools pipe was closed by the host');
    this.toBrowser.destroy();
    this.fromBrowser.destroy();
  }

  private received(chunk: Buffer): void {
    // A message may come in pieces, and several in one piece; a NUL ends each. Bytes are kept
    // until their NUL, so a character split between two pieces is decoded whole.
    let start = 0;
    for (let end = chunk.indexOf(0); end !== -1; end = chunk.indexOf(0, start)) {
      this.chunks.push(chunk.subarray(start, end));
      const text = Buffer.concat(this.chunks).toString('utf8');
      this.chunks = [];
      this.buffered = 0;
      start = end + 1;
      this.dispatch(text);
      if (this.closeReason !== null) return;
    }
    if (start < chunk.length) {
      this.chunks.push(chunk.subarray(start));
      this.buffered += chunk.length - start;
      if (this.buffered > MAX_MESSAGE_BYTES) this.close('the browser sent a message larger than 64 MiB');
    }
  }

  private dispatch(text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      this.close('the browser sent something that is not JSON on its DevTools pipe');
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const { id, result, error } = message as Record<string, unknown>;
    // Events (no id) are not listened to: the kiosk only sends commands and reads their answers.
    if (typeof id === 'number') {
      const pending = this.pending.get(id);
      if (pending === undefined) return;
      this.pending.delete(id);
      clearTimeout(pending.timer);
      if (typeof error === 'object' && error !== null) {
        const text = (error as { message?: unknown }).message;
        pending.reject(new CdpError(pending.method, typeof text === 'string' ? text : JSON.stringify(error)));
      } else {
        pending.resolve(isCdpObject(result) ? result : {});
      }
    }
  }

  private close(reason: string): void {
    if (this.closeReason !== null) return;
    this.closeReason = reason;
    this.chunks = [];
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new CdpError(pending.method, reason));
      this.pending.delete(id);
    }
    this.settleClosed(reason);
  }
}

/** A protocol object: not null, not an array. */
export function isCdpObject(value: unknown): value is CdpObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
