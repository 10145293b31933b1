// The hub with sockets that are only event emitters and a fake clock: when it renews TURN
// credentials is a matter of its timers, counted here to the millisecond and to the last timer.

import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../../app/log/logger.js';
import type { ServerMessage } from '../../../../app/signaling/messages.js';
import { SignalingHub } from '../../../../main/signaling/signaling-hub.js';
import { TurnCredentialIssuer } from '../../../../main/signaling/turn-credentials.js';

class FakeSocket extends EventEmitter {
  readyState = 1; // WebSocket.OPEN
  bufferedAmount = 0;
  readonly sent: ServerMessage[] = [];
  send(text: string): void {
    this.sent.push(JSON.parse(text) as ServerMessage);
  }
  close(code: number): void {
    this.readyState = 3;
    this.emit('close', code);
  }
  terminate(): void {
    this.close(1006);
  }
  ping(): void {}
  /** A frame from the site. */
  receive(message: unknown): void {
    this.emit('message', Buffer.from(JSON.stringify(message)), false);
  }
}

const TURN = { urls: ['turn:127.0.0.1:3478'], secret: 's', ttl: 600 };

function setup(turn: TurnCredentialIssuer | null) {
  const hub = new SignalingHub({ keys: { open: true }, logger: silentLogger, turn, now: () => Date.now() });
  const connect = (): FakeSocket => {
    const socket = new FakeSocket();
    hub.accept(socket as unknown as WebSocket, 'test');
    return socket;
  };
  const joined = (site: string): FakeSocket => {
    const socket = connect();
    socket.receive({ type: 'join', v: 1, room: 'r', site });
    return socket;
  };
  return { hub, connect, joined };
}

const types = (socket: FakeSocket) => socket.sent.map((message) => message.type);

describe('SignalingHub renewing TURN credentials', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('pushes ice-servers at half the lifetime, then again half a lifetime after each push', () => {
    const { joined } = setup(new TurnCredentialIssuer(TURN));
    const site = joined('dublin');
    expect(types(site)).toEqual(['joined']);
    vi.advanceTimersByTime(299_999);
    expect(types(site)).toEqual(['joined']);
    vi.advanceTimersByTime(1);
    expect(types(site)).toEqual(['joined', 'ice-servers']);
    expect(site.sent[1]).toMatchObject({ iceServersTtl: 600, iceServers: [{ username: '1700000900:dublin' }] });
    vi.advanceTimersByTime(300_000);
    expect(types(site)).toEqual(['joined', 'ice-servers', 'ice-servers']);
    expect(site.sent[2]).toMatchObject({ iceServers: [{ username: '1700001200:dublin' }] });
  });

  it('counts the next push from its answer to ice-servers', () => {
    const { joined } = setup(new TurnCredentialIssuer(TURN));
    const site = joined('dublin');
    vi.advanceTimersByTime(200_000);
    site.receive({ type: 'ice-servers' });
    expect(types(site)).toEqual(['joined', 'ice-servers']);
    vi.advanceTimersByTime(299_999);
    expect(types(site)).toEqual(['joined', 'ice-servers']);
    vi.advanceTimersByTime(1);
    expect(types(site)).toEqual(['joined', 'ice-servers', 'ice-servers']);
  });

  it('keeps one timer a joined connection, and none once it has closed', () => {
    const { joined } = setup(new TurnCredentialIssuer(TURN));
    const a = joined('dublin');
    const b = joined('oslo');
    expect(vi.getTimerCount()).toBe(2);
    b.receive({ type: 'ice-servers' });
    expect(vi.getTimerCount()).toBe(2);
    a.close(1000);
    expect(vi.getTimerCount()).toBe(1);
    b.receive({ type: 'leave' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('drops the renewal of a connection replaced by a newer one of the same site', () => {
    const { joined } = setup(new TurnCredentialIssuer(TURN));
    const old = joined('dublin');
    const fresh = joined('dublin');
    expect(types(old)).toEqual(['joined', 'error']);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(300_000);
    expect(types(old)).toEqual(['joined', 'error']);
    expect(types(fresh)).toEqual(['joined', 'ice-servers']);
  });

  it('sets no renewal timer, and never pushes, without TURN', () => {
    const { joined } = setup(null);
    const site = joined('dublin');
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(7 * 86_400_000);
    expect(types(site)).toEqual(['joined']);
  });

  it('keeps the join timeout of a connection that has not joined, and gives it no renewal', () => {
    const { connect } = setup(new TurnCredentialIssuer(TURN));
    const site = connect();
    site.receive({ type: 'ice-servers' });
    expect(site.sent).toEqual([{ type: 'error', code: 'not-joined', message: 'Send "join" before "ice-servers".' }]);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(5_000);
    expect(types(site)).toEqual(['error', 'error']);
    expect(site.readyState).toBe(3);
    expect(vi.getTimerCount()).toBe(0);
  });
});
