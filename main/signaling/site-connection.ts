// One WebSocket on /signal and what the server knows of it. Every way out goes through the one
// idempotent `close(code, reason)`.

import { WebSocket } from 'ws';
import { TokenBucket } from '../../app/signaling/token-bucket.js';
import { MAX_SEND_BUFFER_BYTES, RATE_BURST, RATE_PER_SECOND } from '../../app/signaling/protocol-limits.js';
import type { ServerMessage } from '../../app/signaling/messages.js';

export type SendOutcome = 'sent' | 'not-open' | 'overflow';

export type ConnectionPhase = 'awaiting-join' | 'joined' | 'closed';

export class SiteConnection {
  phase: ConnectionPhase = 'awaiting-join';
  room: string | null = null;
  site: string | null = null;
  badInRow = 0;
  /** Pongs missed in a row; see the hub's heartbeat. */
  missedPongs = 0;
  awaitingPong = false;
  joinTimer: ReturnType<typeof setTimeout> | null = null;
  /** Sends fresh TURN credentials before the last ones expire; see the hub's scheduleRenewal. */
  renewalTimer: ReturnType<typeof setTimeout> | null = null;
  readonly bucket: TokenBucket;

  constructor(
    readonly id: number,
    readonly socket: WebSocket,
    readonly remote: string,
    now: number,
  ) {
    this.bucket = new TokenBucket(RATE_BURST, RATE_PER_SECOND, now);
  }

  get isOpen(): boolean {
    return this.phase !== 'closed' && this.socket.readyState === WebSocket.OPEN;
  }

  /**
   * Sends one message. 'overflow' means the socket's send buffer was past MAX_SEND_BUFFER_BYTES
   * and the socket has been dropped, rather than left to buffer without bound behind a reader
   * that stopped reading.
   */
  send(message: ServerMessage): SendOutcome {
    if (!this.isOpen) return 'not-open';
    if (this.socket.bufferedAmount > MAX_SEND_BUFFER_BYTES) {
      this.terminate();
      return 'overflow';
    }
    this.socket.send(JSON.stringify(message));
    return 'sent';
  }

  /** Ends the connection with a close frame; later calls do nothing. */
  close(code: number, reason: string): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    this.clearTimers();
    this.socket.close(code, reason);
  }

  /** Drops the connection without a close handshake: for sockets that stopped answering. */
  terminate(): void {
    this.phase = 'closed';
    this.clearTimers();
    this.socket.terminate();
  }

  clearJoinTimer(): void {
    if (this.joinTimer !== null) clearTimeout(this.joinTimer);
    this.joinTimer = null;
  }

  clearRenewalTimer(): void {
    if (this.renewalTimer !== null) clearTimeout(this.renewalTimer);
    this.renewalTimer = null;
  }

  clearTimers(): void {
    this.clearJoinTimer();
    this.clearRenewalTimer();
  }
}
