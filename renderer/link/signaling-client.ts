// The renderer's side of docs/protocol.md: one WebSocket at a time, every server frame parsed
// with the protocol's own parser, an application ping so a dead socket is noticed.

import { NO_ANSWER_CLOSE_CODE } from '../../app/link/link-machine.js';
import type { ServerMessage } from '../../app/signaling/messages.js';
import { parseServerFrame } from '../../app/signaling/parse-frame.js';
import { PROTOCOL_VERSION } from '../../app/signaling/protocol-limits.js';
import type { Disposable } from '../lifecycle/disposables.js';

export interface SignalingEvents {
  /** `socket` identifies this connection, for isCurrent(). */
  open(socket: WebSocket): void;
  message(message: ServerMessage): void;
  closed(code: number): void;
}

const PING_MS = 5_000;
/** No pong for this long: the socket is dead even if the browser has not noticed. */
const PONG_TIMEOUT_MS = 12_000;
/**
 * A connect that has not opened by now is given up. Over a cut network a connect hangs (its SYNs
 * vanish, and TCP waits 1, 3, 7, 15... s between them), so one attempt could outlast the cut by
 * tens of seconds; short attempts, retried soon, reach the server within about a second of the
 * network coming back. A loaded server over a slow link still opens well within this.
 */
export const CONNECT_TIMEOUT_MS = 2_000;

export class SignalingClient implements Disposable {
  private socket: WebSocket | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private connectTimer: ReturnType<typeof setTimeout> | null = null;
  private lastPong = 0;
  private disposed = false;

  constructor(
    private readonly url: string,
    private readonly on: SignalingEvents,
  ) {}

  connect(): void {
    this.drop();
    if (this.disposed) return;
    const socket = new WebSocket(this.url);
    this.socket = socket;
    this.connectTimer = setTimeout(() => {
      this.connectTimer = null;
      if (this.socket !== socket || socket.readyState === WebSocket.OPEN) return;
      this.drop();
      this.on.closed(NO_ANSWER_CLOSE_CODE);
    }, CONNECT_TIMEOUT_MS);
    socket.onopen = () => {
      this.clearConnectTimer();
      this.lastPong = Date.now();
      this.pingTimer = setInterval(() => this.ping(), PING_MS);
      this.on.open(socket);
    };
    socket.onmessage = (event: MessageEvent) => {
      if (typeof event.data !== 'string') return;
      const parsed = parseServerFrame(event.data);
      if (!parsed.ok) return;
      if (parsed.value.type === 'pong') this.lastPong = Date.now();
      this.on.message(parsed.value);
    };
    socket.onclose = (event: CloseEvent) => {
      if (this.socket !== socket) return;
      this.stopPing();
      this.clearConnectTimer();
      this.socket = null;
      this.on.closed(event.code);
    };
  }

  /** Whether `socket` (from an `open` event) is still this client's open connection. */
  isCurrent(socket: WebSocket): boolean {
    return this.socket === socket && socket.readyState === WebSocket.OPEN;
  }

  join(room: string, site: string, key: string | null): void {
    this.send({ type: 'join', v: PROTOCOL_VERSION, room, site, ...(key === null ? {} : { key }) });
  }

  signal(data: unknown): void {
    this.send({ type: 'signal', data });
  }

  /** Asks the server for fresh iceServers (docs/protocol.md); the answer comes as `ice-servers`. */
  requestIceServers(): void {
    this.send({ type: 'ice-servers' });
  }

  /** Closes the socket and its timer; nothing is reported, and connect() does nothing after. */
  dispose(): void {
    this.disposed = true;
    this.drop();
  }

  private ping(): void {
    if (Date.now() - this.lastPong > PONG_TIMEOUT_MS) {
      const socket = this.socket;
      this.drop();
      if (socket) this.on.closed(NO_ANSWER_CLOSE_CODE);
      return;
    }
    this.send({ type: 'ping', id: Date.now() });
  }

  private send(message: unknown): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private drop(): void {
    this.stopPing();
    this.clearConnectTimer();
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.close();
    }
  }

  private clearConnectTimer(): void {
    if (this.connectTimer !== null) clearTimeout(this.connectTimer);
    this.connectTimer = null;
  }

  private stopPing(): void {
    if (this.pingTimer !== null) clearInterval(this.pingTimer);
    this.pingTimer = null;
  }
}
