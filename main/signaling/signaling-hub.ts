// Rooms of two and the rules of docs/protocol.md. The hub gets WebSockets that are already
// open on /signal; the HTTP side lives in signaling-server.ts.

import type { RawData, WebSocket } from 'ws';
import type { Logger } from '../../app/log/logger.js';
import { ERROR_RULES, type ErrorCode } from '../../app/signaling/error-codes.js';
import type {
  ClientSignalMessage,
  IceServer,
  JoinMessage,
  PeerLeftReason,
  ServerMessage,
} from '../../app/signaling/messages.js';
import { parseClientFrame } from '../../app/signaling/parse-frame.js';
import { assertNever } from '../../app/util/assert-never.js';
import {
  JOIN_TIMEOUT_MS,
  MAX_BAD_MESSAGES_IN_A_ROW,
  MISSED_PONGS_TO_DROP,
  ROOM_CAPACITY,
} from '../../app/signaling/protocol-limits.js';
import { createKeyCheck, type KeyCheck, type KeyPolicy } from './key-policy.js';
import { SiteConnection } from './site-connection.js';
import { SignalingMetrics, type HubCounts } from './signaling-metrics.js';
import type { TurnCredentialIssuer } from './turn-credentials.js';

export interface SignalingHubOptions {
  readonly keys: KeyPolicy;
  readonly logger: Logger;
  /** Handed to every site as they are. */
  readonly iceServers?: readonly IceServer[] | undefined;
  /** TURN credentials made for each site, renewed before they expire. */
  readonly turn?: TurnCredentialIssuer | null | undefined;
  readonly joinTimeoutMs?: number | undefined;
  readonly now?: () => number;
}

export class SignalingHub {
  private readonly rooms = new Map<string, Map<string, SiteConnection>>();
  private readonly connections = new Set<SiteConnection>();
  private readonly keyCheck: KeyCheck;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly joinTimeoutMs: number;
  private nextId = 1;
  readonly metrics = new SignalingMetrics(() => this.counts());

  constructor(private readonly options: SignalingHubOptions) {
    this.keyCheck = createKeyCheck(options.keys);
    this.log = options.logger;
    this.now = options.now ?? (() => performance.now());
    this.joinTimeoutMs = options.joinTimeoutMs ?? JOIN_TIMEOUT_MS;
  }

  counts(): HubCounts {
    let sites = 0;
    for (const room of this.rooms.values()) sites += room.size;
    return { connections: this.connections.size, rooms: this.rooms.size, sites };
  }

  accept(socket: WebSocket, remote: string): void {
    const conn = new SiteConnection(this.nextId++, socket, remote, this.now());
    this.connections.add(conn);
    this.metrics.connectionAccepted();
    conn.joinTimer = setTimeout(() => {
      this.refuse(
        conn,
        'join-timeout',
        `No "join" arrived within ${this.joinTimeoutMs / 1000} s of connecting; send "join" first.`,
      );
    }, this.joinTimeoutMs);
    // A socket error (reset, bad frame, oversize frame) is followed by 'close'; without a
    // listener it would crash the process.
    socket.on('error', (error: Error) => {
      this.log.debug('socket-error', { conn: conn.id, message: error.message });
    });
    socket.on('pong', () => {
      conn.awaitingPong = false;
      conn.missedPongs = 0;
    });
    socket.on('message', (data: RawData, isBinary: boolean) => this.onMessage(conn, data, isBinary));
    socket.on('close', (code: number) => this.onClosed(conn, code));
  }

  /**
   * One heartbeat tick: a connection whose last ping is still unanswered has missed a pong;
   * MISSED_PONGS_TO_DROP in a row drop it (its partner sees peer-left). Then ping again.
   */
  heartbeat(): void {
    for (const conn of this.connections) {
      if (conn.awaitingPong) conn.missedPongs += 1;
      if (conn.missedPongs >= MISSED_PONGS_TO_DROP) {
        this.log.info('heartbeat-lost', { conn: conn.id, room: conn.room, site: conn.site });
        conn.terminate();
        // terminate() emits 'close' asynchronously; leave the room now so the partner hears at once.
        this.leaveRoom(conn, 'lost');
        continue;
      }
      conn.awaitingPong = true;
      conn.socket.ping();
    }
  }

  /** Closes every connection with `code` (1001 when the server stops). */
  closeAll(code: number, reason: string): void {
    for (const conn of this.connections) conn.close(code, reason);
  }

  /** Drops every connection at once, without waiting for close handshakes. */
  terminateAll(): void {
    for (const conn of this.connections) conn.terminate();
  }

  private onMessage(conn: SiteConnection, data: RawData, isBinary: boolean): void {
    if (conn.phase === 'closed') return;
    if (!conn.bucket.take(this.now())) {
      this.refuse(conn, 'rate-limited', 'Too many messages: more than a burst of 200, then more than 50 a second.');
      return;
    }
    if (isBinary) {
      this.badMessage(conn, 'Binary frames are refused; send each message as one UTF-8 JSON text frame.');
      return;
    }
    const parsed = parseClientFrame(rawToString(data));
    if (!parsed.ok) {
      this.badMessage(conn, parsed.error);
      return;
    }
    conn.badInRow = 0;
    const message = parsed.value;
    switch (message.type) {
      case 'join':
        this.join(conn, message);
        return;
      case 'signal':
        this.relay(conn, message.data);
        return;
      case 'ping':
        this.deliver(conn, message.id === undefined ? { type: 'pong' } : { type: 'pong', id: message.id });
        return;
      case 'leave':
        this.log.info('leave', { conn: conn.id, room: conn.room, site: conn.site });
        this.leaveRoom(conn, 'left');
        conn.close(1000, 'leave');
        return;
      case 'ice-servers':
        if (conn.phase !== 'joined' || conn.site === null) {
          this.refuse(conn, 'not-joined', 'Send "join" before "ice-servers".');
          return;
        }
        this.sendIceServers(conn, 'asked');
        return;
      default:
        return assertNever(message);
    }
  }

  private join(conn: SiteConnection, message: JoinMessage): void {
    if (conn.phase === 'joined') {
      this.badMessage(
        conn,
        `This connection already joined room '${conn.room ?? ''}'; open a new connection to join again.`,
      );
      return;
    }
    const { room: roomName, site } = message;
    if (!this.keyCheck(roomName, message.key)) {
      this.refuse(
        conn,
        'unauthorized',
        "The key does not match this room, or the room is not served here. Check the room name and key in both sites' settings.",
      );
      return;
    }
    const room = this.rooms.get(roomName) ?? new Map<string, SiteConnection>();
    const previous = room.get(site);
    if (previous === undefined && room.size >= ROOM_CAPACITY) {
      const present = [...room.keys()].join(' and ');
      this.refuse(
        conn,
        'room-full',
        `Room '${roomName}' already holds two sites (${present}). Use another room, or give this site the name of the one it replaces.`,
      );
      return;
    }
    conn.clearJoinTimer();
    this.rooms.set(roomName, room);
    const partner = [...room.values()].find((other) => other !== previous);
    if (previous !== undefined) {
      // Take the place first, so the old connection's close finds itself replaced and stays quiet.
      room.set(site, conn);
      this.refuse(
        previous,
        'replaced',
        `Site '${site}' joined room '${roomName}' again from a newer connection; this one is closed.`,
      );
      if (partner) this.deliver(partner, { type: 'peer-left', site, reason: 'replaced' });
      this.log.info('replace', { conn: conn.id, replaced: previous.id, room: roomName, site });
    } else {
      room.set(site, conn);
      this.log.info('join', { conn: conn.id, room: roomName, site, remote: conn.remote });
    }
    conn.phase = 'joined';
    conn.room = roomName;
    conn.site = site;
    const { iceServers, iceServersTtl } = this.iceServersFor(site);
    this.deliver(conn, {
      type: 'joined',
      room: roomName,
      site,
      peers: partner?.site ? [partner.site] : [],
      ...(iceServers.length > 0 ? { iceServers } : {}),
      ...(iceServersTtl === undefined ? {} : { iceServersTtl }),
    });
    this.scheduleRenewal(conn);
    if (partner) this.deliver(partner, { type: 'peer-joined', site });
  }

  /** The static ICE servers, then this site's TURN server with fresh credentials, if there is one. */
  private iceServersFor(site: string): { iceServers: IceServer[]; iceServersTtl?: number } {
    const fixed = [...(this.options.iceServers ?? [])];
    const turn = this.options.turn;
    if (!turn) return { iceServers: fixed };
    return { iceServers: [...fixed, turn.iceServerFor(site)], iceServersTtl: turn.ttlSeconds };
  }

  /** `ice-servers` to a joined site, asked for or not; the next renewal then counts from now. */
  private sendIceServers(conn: SiteConnection, reason: 'asked' | 'renewal'): void {
    if (conn.site === null) return;
    const { iceServers, iceServersTtl } = this.iceServersFor(conn.site);
    this.log.info('ice-servers', { conn: conn.id, site: conn.site, reason });
    this.deliver(conn, {
      type: 'ice-servers',
      iceServers,
      ...(iceServersTtl === undefined ? {} : { iceServersTtl }),
    });
    this.scheduleRenewal(conn);
  }

  /**
   * With TURN credentials, sends fresh ones unasked when half their lifetime has passed since
   * this connection last got some: a site that never asks still never holds expired ones, and
   * has the other half to take them up. Static ICE servers never expire, so need no timer.
   */
  private scheduleRenewal(conn: SiteConnection): void {
    const turn = this.options.turn;
    if (!turn || conn.phase !== 'joined') return;
    conn.clearRenewalTimer();
    conn.renewalTimer = setTimeout(
      () => {
        conn.renewalTimer = null;
        if (conn.phase === 'joined') this.sendIceServers(conn, 'renewal');
      },
      (turn.ttlSeconds * 1000) / 2,
    );
  }

  private relay(conn: SiteConnection, data: ClientSignalMessage['data']): void {
    if (conn.phase !== 'joined' || conn.room === null || conn.site === null) {
      this.refuse(conn, 'not-joined', 'Send "join" before "signal".');
      return;
    }
    const partner = this.partnerOf(conn);
    if (partner === undefined) {
      this.refuse(conn, 'no-peer', `No partner site is in room '${conn.room}' yet; wait for "peer-joined".`);
      return;
    }
    if (this.deliver(partner, { type: 'signal', from: conn.site, data })) this.metrics.messageRelayed();
  }

  private partnerOf(conn: SiteConnection): SiteConnection | undefined {
    if (conn.room === null) return undefined;
    for (const other of this.rooms.get(conn.room)?.values() ?? []) if (other !== conn) return other;
    return undefined;
  }

  private badMessage(conn: SiteConnection, message: string): void {
    conn.badInRow += 1;
    this.refuse(conn, 'bad-message', message);
    if (conn.badInRow >= MAX_BAD_MESSAGES_IN_A_ROW) {
      this.log.info('closed-bad-messages', { conn: conn.id, inRow: conn.badInRow });
      conn.close(ERROR_RULES['bad-message'].closeCode ?? 4400, 'bad-message');
    }
  }

  /** Sends an `error`; a fatal code then closes the connection with its close code. */
  private refuse(conn: SiteConnection, code: ErrorCode, message: string): void {
    this.metrics.refused(code);
    this.log.info('refuse', { conn: conn.id, code, room: conn.room, site: conn.site });
    this.deliver(conn, { type: 'error', code, message });
    const rule = ERROR_RULES[code];
    if (rule.fatal && rule.closeCode !== null) {
      // A replaced connection no longer holds its place, so this leaves nothing for it. A site
      // the server shut out is lost to its partner, not gone: it will try again.
      this.leaveRoom(conn, 'lost');
      conn.close(rule.closeCode, code);
    }
  }

  private onClosed(conn: SiteConnection, code: number): void {
    conn.phase = 'closed';
    conn.clearTimers();
    this.connections.delete(conn);
    // 1000 and 1001: the page closed its socket (left, reloaded, shut down); anything else, and
    // 1006 above all (no close frame: a reset, a crash), is a connection lost.
    this.leaveRoom(conn, code === 1000 || code === 1001 ? 'left' : 'lost');
    this.log.debug('closed', { conn: conn.id, code });
  }

  /** Sends to one site; true when sent. A site that stopped reading is dropped and leaves its room. */
  private deliver(conn: SiteConnection, message: ServerMessage): boolean {
    const outcome = conn.send(message);
    if (outcome === 'overflow') {
      this.log.warn('backpressure-drop', { conn: conn.id, room: conn.room, site: conn.site });
      this.leaveRoom(conn, 'lost');
    }
    return outcome === 'sent';
  }

  /** Takes `conn` out of its room, if it still holds its place there, and tells the partner why. */
  private leaveRoom(conn: SiteConnection, reason: PeerLeftReason): void {
    if (conn.room === null || conn.site === null) return;
    const room = this.rooms.get(conn.room);
    if (room?.get(conn.site) !== conn) return;
    room.delete(conn.site);
    if (room.size === 0) this.rooms.delete(conn.room);
    for (const other of room.values()) this.deliver(other, { type: 'peer-left', site: conn.site, reason });
    this.log.info('left', { conn: conn.id, room: conn.room, site: conn.site, reason });
  }
}

function rawToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
