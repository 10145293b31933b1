// Feeds the link machine its events and carries out its effects: the one place where the pure
// machine meets sockets, timers and peer connections.

import type { LinkSettings } from '../../app/config/link-settings.js';
import { parseLinkEnvelope, type ClosedNote } from '../../app/link/link-envelope.js';
import {
  LINK_TIMING,
  initialLinkState,
  portalStateOf,
  transition,
  type LinkEffect,
  type LinkEvent,
  type LinkState,
  type TimerName,
} from '../../app/link/link-machine.js';
import type { IceServer, ServerMessage } from '../../app/signaling/messages.js';
import { assertNever } from '../../app/util/assert-never.js';
import type { Disposable } from '../lifecycle/disposables.js';
import type { CameraFeed } from '../media/camera-feed.js';
import { startBitrateKbps } from '../../app/media/bitrate-headroom.js';
import { PeerSession } from '../peer/peer-session.js';
import type { SiteIdentity } from '../peer/site-identity.js';
import { acceptedAs } from '../../app/identity/successors.js';
import { identityNextMessage, parseIdentityNext } from '../../app/identity/rollover.js';
import { PartnerSuccessors } from './partner-successors.js';
import { SignalingClient } from './signaling-client.js';

export interface LinkControllerHooks {
  /** After every event: the new state, and the last refusal message from the server. */
  render(state: LinkState, serverMessage: string | null): void;
  remoteStream(stream: MediaStream | null): void;
  /** A data-channel message from the partner other than heartbeats. */
  partnerMessage?(text: string): void;
  /** A session's data channel opened: the place to tell the partner what it should know. */
  sessionUp?(): void;
}

/** The partner's certificate as the last session saw it, for the admin overlay. */
export interface PartnerIdentity {
  readonly site: string | null;
  /** Null: the session's stats showed none. */
  readonly fingerprint: string | null;
  /** Whether it was the pinned one (or a renewal of it); null when nothing is pinned. */
  readonly matched: boolean | null;
  /** It is the pinned site's renewed identity, which the pinned site announced before. */
  readonly renewed: boolean;
}

export class LinkController implements Disposable {
  private state: LinkState;
  private readonly timers = new Map<TimerName, ReturnType<typeof setTimeout>>();
  private readonly signaling: SignalingClient;
  private session: PeerSession | null = null;
  /** What the server's `joined` offered; used unless the settings name ICE servers. */
  private serverIceServers: readonly IceServer[] = [];
  /** The server's credentials expire (`iceServersTtl`): ask for fresh ones for each new session. */
  private expiringIceServers = false;
  private serverMessage: string | null = null;
  private readonly unsubscribe: Array<() => void> = [];
  private disposed = false;
  /** Settles once the camera has opened or failed; joining waits for it. */
  private cameraSettled: Promise<void> = Promise.resolve();
  private partner: PartnerIdentity | null = null;
  private readonly successors = new PartnerSuccessors();

  constructor(
    private settings: LinkSettings,
    private readonly feed: CameraFeed,
    signalUrl: string,
    private readonly hooks: LinkControllerHooks,
    /** This site's certificate for each session; null: the browser's own (nothing to pin). */
    private readonly identity: SiteIdentity | null = null,
  ) {
    this.state = initialLinkState(settings.site);
    this.signaling = new SignalingClient(
      signalUrl,
      {
        open: (socket) =>
          void this.cameraSettled.then(() => {
            // A socket that closed while the camera opened has been reported closed already.
            if (this.signaling.isCurrent(socket)) this.dispatch({ type: 'signaling-open' });
          }),
        message: (message) => this.onServerMessage(message),
        closed: (code) => {
          console.info(JSON.stringify({ event: 'signaling-closed', code }));
          this.dispatch({ type: 'signaling-closed', code });
        },
      },
      () => this.iceServers(),
    );
    // A new camera (or the test pattern in its place) goes out on the same sender.
    this.unsubscribe.push(
      feed.onTrackChange((oldTrack, newTrack) => this.session?.replaceTrack(oldTrack, newTrack)),
      feed.onStatus(() => this.dispatch({ type: 'camera', available: this.cameraAvailable() })),
      // A next identity made during a call is told at once (a 24/7 call may outlast the month).
      identity?.onChange(() => this.announceNext()) ?? (() => undefined),
    );
  }

  /** A test pattern asked for in the settings counts as the camera. */
  private cameraAvailable(): boolean {
    return this.feed.status.source === 'camera' || this.settings.camera === 'test-pattern';
  }

  get portalState() {
    return portalStateOf(this.state);
  }

  get linkState(): LinkState {
    return this.state;
  }

  /** Renders the state again, unchanged (its words may depend on the time: "opens tomorrow"). */
  rerender(): void {
    if (!this.disposed) this.hooks.render(this.state, this.serverMessage);
  }

  /** The opening hours closed this site (until when), or opened it (null). */
  setHours(closed: ClosedNote | null): void {
    this.dispatch({ type: 'hours', closed });
  }

  /**
   * Connects to signaling at once, while the camera may still be opening (`cameraReady`): the
   * socket's handshake overlaps the camera's, and the site joins its room (so no session can
   * open without a picture to send) once the camera has opened or failed.
   */
  start(cameraReady: Promise<unknown> = Promise.resolve()): void {
    const random = new Uint32Array(2);
    crypto.getRandomValues(random);
    this.cameraSettled = cameraReady.then(
      () => this.dispatch({ type: 'camera', available: this.cameraAvailable() }),
      () => this.dispatch({ type: 'camera', available: this.cameraAvailable() }),
    );
    this.dispatch({ type: 'start', nonce: random[0]!.toString(36), seed: random[1]! });
  }

  /**
   * New settings from the admin overlay: bitrate and degradation go to the live senders at once;
   * codec, relay and ICE servers take effect with the next session (the caller reconnects).
   */
  updateSettings(next: LinkSettings): void {
    this.settings = next;
    void this.session?.setSending(next.maxBitrate, next.degradation);
  }

  /** A fresh session now (the overlay's Reconnect, or settings that need renegotiation). */
  reconnect(reason: string): void {
    this.dispatch({ type: 'reconnect', reason });
  }

  /** A message to the partner on the session's data channel; false when there is none open. */
  tellPartner(text: string): boolean {
    return this.session?.send(text) ?? false;
  }

  /** The partner's certificate as the last session saw it; null before one got that far. */
  get partnerIdentity(): PartnerIdentity | null {
    return this.partner;
  }

  /** The live session's statistics, for the stats view; null between sessions. */
  stats(): Promise<RTCStatsReport> | null {
    return this.session?.getStats() ?? null;
  }

  /** Ends the session, the socket and every timer; events that arrive later are ignored. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const stop of this.unsubscribe.splice(0)) stop();
    for (const timer of [...this.timers.keys()]) this.cancel(timer);
    const session = this.session;
    this.session = null;
    session?.close('page disposed');
    this.signaling.dispose();
  }

  dispatch(event: LinkEvent): void {
    if (this.disposed) return;
    const previous = this.state;
    const { state, effects } = transition(previous, event);
    const before = portalStateOf(previous);
    this.state = state;
    for (const effect of effects) this.carryOut(effect);
    const after = portalStateOf(state);
    if (before !== after) console.info(JSON.stringify({ event: 'portal-state', from: before, to: after }));
    // The link came back after an outage: the partner's decoder needs a keyframe from us.
    if (previous.session?.link === 'down' && state.session?.link === 'up' && previous.session.id === state.session.id)
      void this.session?.refreshPicture();
    if (previous.relayFallback !== state.relayFallback)
      console.info(
        JSON.stringify({ event: state.relayFallback ? 'relay-fallback' : 'direct-retry', path: this.pathText() }),
      );
    this.hooks.render(state, this.serverMessage);
  }

  private onServerMessage(message: ServerMessage): void {
    switch (message.type) {
      case 'joined':
        console.info(JSON.stringify({ event: 'signaling-joined', peers: message.peers }));
        this.serverIceServers = message.iceServers ?? [];
        this.expiringIceServers = message.iceServersTtl !== undefined;
        this.serverMessage = null;
        this.dispatch({ type: 'signaling-joined', peers: message.peers });
        return;
      case 'peer-joined':
        this.dispatch({ type: 'partner-joined', site: message.site });
        return;
      case 'peer-left':
        this.dispatch({ type: 'partner-left', site: message.site, lost: message.reason === 'lost' });
        return;
      case 'signal': {
        const envelope = parseLinkEnvelope(message.data);
        if (envelope !== null) this.dispatch({ type: 'signal', from: message.from, envelope });
        return;
      }
      case 'error':
        this.serverMessage = message.message;
        return;
      case 'pong':
        return;
      case 'ice-servers':
        // Fresh TURN credentials (asked for, or pushed before the old ones expire): the next
        // session takes them, and the running one for any ICE restart. A relayed call already
        // up is not cut when its credentials expire: coturn checks them only when an
        // allocation is made (coturn/coturn#774).
        this.serverIceServers = message.iceServers;
        this.expiringIceServers = message.iceServersTtl !== undefined;
        this.session?.setIceServers(this.iceServers());
        return;
      default:
        assertNever(message);
    }
  }

  private carryOut(effect: LinkEffect): void {
    switch (effect.type) {
      case 'connect-signaling':
        console.info(JSON.stringify({ event: 'signaling-connect' }));
        this.signaling.connect();
        return;
      case 'send-join':
        this.signaling.join(this.settings.room, this.settings.site, this.settings.key);
        return;
      case 'send-signal':
        this.signaling.signal(effect.envelope);
        return;
      case 'open-session':
        this.openSession(effect.id, effect.role, effect.relay);
        return;
      case 'restart-ice':
        if (this.session?.options.id === effect.session) {
          console.info(JSON.stringify({ event: 'ice-restart', id: effect.session }));
          this.session.restartIce();
        }
        return;
      case 'deliver-signal':
        if (this.session?.options.id === effect.session) this.session.signal(effect.data);
        return;
      case 'close-session':
        if (this.session?.options.id === effect.id) {
          console.info(JSON.stringify({ event: 'session-close', id: effect.id, reason: effect.reason }));
          const session = this.session;
          this.session = null;
          session.close(effect.reason);
          this.hooks.remoteStream(null);
          // The next session starts with credentials as fresh as they come.
          if (this.expiringIceServers) this.signaling.requestIceServers();
        }
        return;
      case 'schedule': {
        this.cancel(effect.timer);
        const timer = effect.timer;
        this.timers.set(
          timer,
          setTimeout(() => {
            this.timers.delete(timer);
            this.dispatch({ type: 'timer', timer });
          }, effect.ms),
        );
        return;
      }
      case 'cancel':
        this.cancel(effect.timer);
        return;
      default:
        assertNever(effect);
    }
  }

  /** The ICE servers the next session gets: the settings' own, else what the server handed out. */
  private iceServers(): readonly IceServer[] {
    return this.settings.iceServers.length > 0 ? this.settings.iceServers : this.serverIceServers;
  }

  /**
   * How the next session reaches the partner, for the stats view and the log: `forced` by the
   * settings, `fallback` because the direct path kept failing, or `any` (direct where it works).
   */
  relayMode(): 'forced' | 'fallback' | 'fallback-impossible' | 'any' {
    if (this.settings.relay) return 'forced';
    if (!this.state.relayFallback) return 'any';
    return hasTurn(this.iceServers()) ? 'fallback' : 'fallback-impossible';
  }

  /** How sessions reach the partner, in words for the stats view. */
  pathText(): string {
    switch (this.relayMode()) {
      case 'forced':
        return 'relay only (the relay setting)';
      case 'fallback':
        return `relay only: the direct path failed ${LINK_TIMING.relayFallbackAfter} times in a row; direct is tried again within ${LINK_TIMING.directRetryMs / 60_000} min`;
      case 'fallback-impossible':
        return 'direct only: the direct path keeps failing, and no TURN server is set to relay through';
      case 'any':
        return 'direct where it works, else relay';
    }
  }

  private openSession(id: string, role: 'offerer' | 'answerer', relayFallback: boolean): void {
    this.session?.close('replaced by a new session');
    const iceServers = this.iceServers();
    // Relay-only needs a TURN server; without one the direct path is all there is.
    const relay = this.settings.relay || (relayFallback && hasTurn(iceServers));
    console.info(JSON.stringify({ event: 'session-open', id, role, path: this.relayMode() }));
    const session = new PeerSession(
      {
        id,
        role,
        stream: this.feed.stream,
        iceServers,
        relay,
        maxBitrateKbps: this.settings.maxBitrate,
        degradation: this.settings.degradation,
        codec: this.settings.codec,
        startBitrateKbps: startBitrateKbps(rememberedReceivedKbps()),
        certificate: this.identity?.certificate ?? null,
        partnerFingerprint: this.settings.partnerFingerprint,
        partnerSuccessors:
          this.settings.partnerFingerprint === null ? [] : this.successors.of(this.settings.partnerFingerprint),
      },
      {
        signal: (data) => this.signaling.signal({ s: id, d: data }),
        connected: () => {
          this.dispatch({ type: 'peer-connected', session: id });
          if (this.session !== session) return;
          this.announceNext();
          this.hooks.sessionUp?.();
        },
        message: (text) => {
          if (this.session !== session) return;
          const next = parseIdentityNext(text);
          if (next === null) this.hooks.partnerMessage?.(text);
          else this.learnSuccessor(session, next);
        },
        remoteStream: (stream) => {
          if (this.session === session) this.hooks.remoteStream(stream);
        },
        iceState: (state) => {
          console.info(JSON.stringify({ event: 'ice-state', id, state }));
          this.dispatch({ type: 'ice-state', session: id, state });
        },
        remoteFrames: () => this.dispatch({ type: 'remote-frames', session: id }),
        heartbeat: () => this.dispatch({ type: 'peer-heartbeat', session: id }),
        packets: () => this.dispatch({ type: 'peer-packets', session: id }),
        transportUp: () => this.dispatch({ type: 'transport-up', session: id }),
        received: (kbps) => rememberReceivedKbps(kbps),
        partnerIdentity: (fingerprint) => {
          if (this.session !== session) return;
          const pinned = session.options.partnerFingerprint;
          const as =
            pinned === null
              ? null
              : acceptedAs(pinned, { pin: pinned, successors: session.options.partnerSuccessors ?? [] }, fingerprint);
          this.partner = {
            site: this.state.partner,
            fingerprint,
            matched: pinned === null ? null : as !== null,
            renewed: as === 'renewed',
          };
        },
        untrusted: () => this.dispatch({ type: 'partner-untrusted', session: id }),
        closed: (reason) => this.dispatch({ type: 'peer-closed', session: id, reason }),
      },
    );
    this.session = session;
  }

  /** Tells the partner this site's next identity, where it has one, over the session in place. */
  private announceNext(): void {
    const next = this.identity?.info.next;
    if (next == null || this.session === null) return;
    if (this.session.send(identityNextMessage(next.fingerprint))) {
      console.info(JSON.stringify({ event: 'identity-next-told', next: next.fingerprint }));
    }
  }

  /**
   * The partner said its next identity. Kept only when this session's partner was verified
   * against the pin (or a renewal of it): an unpinned partner could be anyone with the room key.
   */
  private learnSuccessor(session: PeerSession, next: string): void {
    const pin = session.options.partnerFingerprint;
    const from = session.verifiedPartner;
    if (pin === null || from === null) return;
    this.successors.learn(pin, from, next);
  }

  private cancel(timer: TimerName): void {
    const handle = this.timers.get(timer);
    if (handle !== undefined) clearTimeout(handle);
    this.timers.delete(timer);
  }
}

/** Whether a TURN server (turn: or turns:) is among these ICE servers. */
function hasTurn(servers: readonly IceServer[]): boolean {
  return servers.some((server) =>
    (Array.isArray(server.urls) ? server.urls : [server.urls]).some((url) => /^turns?:/i.test(url)),
  );
}

/** Where this page keeps what its last session received, for the next one's start hint. */
const RECEIVED_KEY = 'portal.receivedKbps';

function rememberedReceivedKbps(): number | null {
  try {
    const value = Number(localStorage.getItem(RECEIVED_KEY));
    return Number.isFinite(value) && value > 0 ? value : null;
  } catch {
    return null; // storage refused: start as a first session does
  }
}

function rememberReceivedKbps(kbps: number): void {
  try {
    localStorage.setItem(RECEIVED_KEY, String(kbps));
  } catch {
    // storage refused: the next session starts with the full hint
  }
}
