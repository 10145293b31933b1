// A signaling client for tests: a real WebSocket, every server message parsed with the
// protocol's own parser, and promises for "the next message of this type" and "closed".

import { WebSocket, type ClientOptions } from 'ws';
import { parseServerFrame } from '../../app/signaling/parse-frame.js';
import type { ServerMessage } from '../../app/signaling/messages.js';

type ByType<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;

export interface Closed {
  readonly code: number;
  readonly reason: string;
}

export class TestSite {
  /** Messages not yet taken by next(). */
  readonly received: ServerMessage[] = [];
  /** Every message, in order of arrival. */
  readonly history: ServerMessage[] = [];
  readonly closed: Promise<Closed>;
  private waiters: Array<() => void> = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      if (isBinary) throw new Error('the server sent a binary frame');
      const parsed = parseServerFrame(String(data));
      if (!parsed.ok) throw new Error(`the server sent a frame its own protocol refuses: ${parsed.error}`);
      this.received.push(parsed.value);
      this.history.push(parsed.value);
      this.wake();
    });
    socket.on('error', () => {});
    this.closed = new Promise((resolve) =>
      socket.on('close', (code, reason) => {
        resolve({ code, reason: String(reason) });
        this.wake();
      }),
    );
  }

  /** `options` go to ws's client as they are (an Origin, a Host, a local address, a CA...). */
  static async connect(url: string, options: ClientOptions = {}): Promise<TestSite> {
    const socket = new WebSocket(url, { ...options, autoPong: options.autoPong ?? true });
    const site = new TestSite(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return site;
  }

  /** Connects and joins; resolves with the `joined` answer. */
  static async join(url: string, room: string, site: string, key?: string): Promise<TestSite> {
    const client = await TestSite.connect(url);
    client.send({ type: 'join', v: 1, room, site, ...(key === undefined ? {} : { key }) });
    await client.next('joined');
    return client;
  }

  send(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }

  sendRaw(data: string | Buffer, options: { binary?: boolean } = {}): void {
    this.socket.send(data, { binary: options.binary ?? typeof data !== 'string' });
  }

  /** The next not-yet-taken message of `type`, waiting up to `timeoutMs` for it. */
  async next<T extends ServerMessage['type']>(type: T, timeoutMs = 5_000): Promise<ByType<T>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.received.findIndex((m) => m.type === type);
      if (index >= 0) return this.received.splice(index, 1)[0] as ByType<T>;
      if (this.socket.readyState === WebSocket.CLOSED) {
        throw new Error(`closed while waiting for "${type}"; got ${JSON.stringify(this.received)}`);
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no "${type}" within ${timeoutMs} ms; got ${JSON.stringify(this.received)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Resolves when the server has closed the connection; fails after `timeoutMs`. */
  async closedWithin(timeoutMs = 5_000): Promise<Closed> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`still open after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([this.closed, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.socket.close();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
