// The renderer's side of docs/protocol.md: one WebSocket at a time, every server frame parsed
// with the protocol's own parser, an application ping so a dead socket is noticed.

import { NO_ANSWER_CLOSE_CODE } from '../../app/link/link-machine.js';
import type { IceServer, ServerMessage } from '../../app/signaling/messages.js';
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
 * tens of seconds. Each timeout in a row doubles it, up to CONNECT_TIMEOUT_MAX_MS, so a link
 * too slow for 2 s (a satellite hop, a lost packet in the TLS handshake) still gets in.
 */
export const CONNECT_TIMEOUT_MS = 2_000;
export const CONNECT_TIMEOUT_MAX_MS = 16_000;
/**
 * While silent, every this many probes a WebSocket is tried whatever the probes said, so probes
 * that cannot answer (ICE servers down or out of reach while the server is fine) never keep a
 * site off signaling; few enough that Chrome's throttle below stays out of the way.
 */
export const SOCKET_EVERY_PROBES = 10;
/**
 * After silence, the network is looked for with probes that give up after this long, and a
 * WebSocket opens only once one is answered. Why not just try WebSockets: Chrome delays every new
 * WebSocket by 1-5 s once a page has had a dozen or so that failed (its per-process throttle, RFC
 * 6455 4.1: services/network/websocket_throttler.cc), which after a long cut kept a site off
 * signaling for up to 26 s in the network lab. Why not HTTP: a connect given up on is kept
 * trying in Chrome's socket pool (six per server), so after a minute of probes the next request
 * waits for one of those to get through its SYN backoff (10-26 s after the network returned, in
 * the lab). The probe that has neither problem asks the ICE servers for our address (STUN over
 * UDP, or a TURN allocation over TCP or TLS) from a throwaway peer connection; only where no
 * ICE server is known does the client fall back to HTTP.
 */
export const PROBE_TIMEOUT_MS = 1_000;

export class SignalingClient implements Disposable {
  private socket: WebSocket | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private connectTimer: ReturnType<typeof setTimeout> | null = null;
  private lastPong = 0;
  private disposed = false;
  /** The server stopped answering: probe the network before the next WebSocket. */
  private silent = false;
  private silentProbes = 0;
  private timeoutsInARow = 0;
  private probe: AbortController | null = null;

  /** `iceServers`: what the network probe may ask (the ones the next session would get). */
  constructor(
    private readonly url: string,
    private readonly on: SignalingEvents,
    private readonly iceServers: () => readonly IceServer[] = () => [],
  ) {}

  connect(): void {
    this.drop();
    if (this.disposed) return;
    if (this.silent && ++this.silentProbes % SOCKET_EVERY_PROBES !== 0) this.probeThenOpen();
    else this.open();
  }

  /** One probe of the network: answered, the socket opens; silent, it is reported as such. */
  private probeThenOpen(): void {
    const probe = new AbortController();
    this.probe = probe;
    // Both at once, the first answer wins: the ICE servers may be down or out of reach while the
    // signaling server is fine, and HTTP may be stuck behind Chrome's pool while ICE answers.
    const servers = this.iceServers();
    const answered = firstAnswer(
      servers.length > 0
        ? [probeIceServers(servers, probe.signal), this.probeHttp(probe.signal)]
        : [this.probeHttp(probe.signal)],
    );
    const timer = setTimeout(() => probe.abort(), PROBE_TIMEOUT_MS);
    answered.then(
      (outcome) => {
        clearTimeout(timer);
        if (this.probe !== probe) return;
        this.probe = null;
        // The probe still running (the slower of the two) stops: its peer connection closes.
        probe.abort();
        if (outcome === 'answered') this.open();
        // Silent still when it timed out; refused at once (the server is down, the network up)
        // when it did not, which backs off as a closed socket does.
        else this.on.closed(outcome === 'silent' ? NO_ANSWER_CLOSE_CODE : 1006);
      },
      () => undefined,
    );
  }

  private probeHttp(signal: AbortSignal): Promise<ProbeOutcome> {
    const url = new URL(this.url);
    url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
    url.pathname = '/healthz';
    url.search = '';
    // no-cors: any answer at all (even an opaque one from a server of another origin) will do.
    return fetch(url, { mode: 'no-cors', cache: 'no-store', signal }).then(
      () => 'answered',
      () => (signal.aborted ? 'silent' : 'refused'),
    );
  }

  private open(): void {
    const socket = new WebSocket(this.url);
    this.socket = socket;
    const timeout = Math.min(CONNECT_TIMEOUT_MAX_MS, CONNECT_TIMEOUT_MS * 2 ** this.timeoutsInARow);
    this.connectTimer = setTimeout(() => {
      this.connectTimer = null;
      if (this.socket !== socket || socket.readyState === WebSocket.OPEN) return;
      this.drop();
      this.silent = true;
      this.timeoutsInARow += 1;
      this.on.closed(NO_ANSWER_CLOSE_CODE);
    }, timeout);
    socket.onopen = () => {
      this.clearConnectTimer();
      this.silent = false;
      this.silentProbes = 0;
      this.timeoutsInARow = 0;
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
      this.silent = true;
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
    this.probe?.abort();
    this.probe = null;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      // 1000: this site closed it (the server tells the partner `left`, not `lost`).
      socket.close(1000);
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

type ProbeOutcome = 'answered' | 'silent' | 'refused';

/** `answered` as soon as one probe answers; else `refused` if one was refused, else `silent`. */
function firstAnswer(probes: ReadonlyArray<Promise<ProbeOutcome>>): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    let pending = probes.length;
    let refused = false;
    for (const probe of probes) {
      void probe.then((outcome) => {
        if (outcome === 'answered') resolve('answered');
        refused ||= outcome === 'refused';
        if (--pending === 0) resolve(refused ? 'refused' : 'silent');
      });
    }
  });
}

/**
 * Whether the ICE servers answer: a throwaway peer connection gathers candidates, and a
 * server-reflexive or relay one means a STUN or TURN server heard us. Host candidates come
 * whatever the network does, so they say nothing.
 */
function probeIceServers(servers: readonly IceServer[], signal: AbortSignal): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    let pc: RTCPeerConnection;
    try {
      pc = new RTCPeerConnection({ iceServers: servers.map((server) => ({ ...server, urls: server.urls })) });
    } catch {
      resolve('silent');
      return;
    }
    const finish = (outcome: ProbeOutcome): void => {
      pc.onicecandidate = null;
      pc.close();
      resolve(outcome);
    };
    signal.addEventListener('abort', () => finish('silent'), { once: true });
    pc.onicecandidate = (event) => {
      if (event.candidate !== null && / typ (srflx|relay)/.test(event.candidate.candidate)) finish('answered');
    };
    pc.createDataChannel('probe');
    pc.createOffer()
      .then((offer) => pc.setLocalDescription(offer))
      .catch(() => finish('silent'));
  });
}
