// The link between two sites as a pure state machine: transition(state, event) returns the next
// state and the effects the renderer's controller carries out (open a peer session, send a
// signal, set a timer). Nothing here touches a socket, a timer or `window`.
//
// Roles are fixed by site name order, so two sites never both offer: the lower name offers.
// Every signal carries a session id; signals of retired sessions are dropped. A signaling outage
// leaves a live session alone; only a dead media link starts a new session.

import { errorCodeForClose, type ErrorCode } from '../signaling/error-codes.js';
import { assertNever } from '../util/assert-never.js';
import { isOffer, type LinkEnvelope } from './link-envelope.js';
import { SESSION_BACKOFF, SIGNALING_BACKOFF, backoffDelay, nextRandom } from './reconnect-backoff.js';

export type Role = 'offerer' | 'answerer';
/** The page states of docs/surface.md. */
export const PORTAL_STATES = [
  'starting',
  'no-camera',
  'connecting',
  'waiting',
  'negotiating',
  'live',
  'reconnecting',
  'error',
] as const;
export type PortalState = (typeof PORTAL_STATES)[number];

export const LINK_TIMING = {
  /** After ICE says `disconnected`, wait this long for it to come back before a new session. */
  iceGraceMs: 2_500,
  /** No remote frame for this long while connected: the media link is dead. */
  mediaStallMs: 4_000,
  /** No data-channel heartbeat from the partner for this long: the link is dead. */
  heartbeatTimeoutMs: 4_000,
  /**
   * Pictures can arrive before the data channel opens (on a thin link its handshake waits behind
   * the video): the session is live at once, and its channel has this long to open.
   */
  dataChannelGraceMs: 10_000,
  /** A session that has not connected by now never will. */
  negotiationTimeoutMs: 15_000,
  /** After `unauthorized` or `room-full`, try again this often (the server's config may change). */
  refusedRetryMs: 30_000,
} as const;

export type TimerName =
  'signaling-retry' | 'session-retry' | 'ice-grace' | 'media-watchdog' | 'heartbeat-watchdog' | 'negotiation-timeout';

const SESSION_TIMERS: readonly TimerName[] = [
  'ice-grace',
  'media-watchdog',
  'heartbeat-watchdog',
  'negotiation-timeout',
];

export interface Session {
  readonly id: string;
  readonly role: Role;
  /** negotiating: created, not yet connected; connected: peer up; live: remote frames arriving. */
  readonly media: 'negotiating' | 'connected' | 'live';
}

export interface LinkState {
  readonly site: string;
  readonly started: boolean;
  readonly nonce: string;
  readonly seed: number;
  readonly camera: 'unknown' | 'ok' | 'missing';
  readonly signaling: 'down' | 'connecting' | 'joined';
  readonly everJoined: boolean;
  readonly signalingFailures: number;
  /** The refusal that stopped us, while it stands; `retrying` when we try again on a timer. */
  readonly refused: { readonly code: ErrorCode; readonly retrying: boolean } | null;
  readonly partner: string | null;
  readonly session: Session | null;
  readonly sessionCounter: number;
  readonly sessionFailures: number;
  readonly everLive: boolean;
  /** Recently closed session ids: their late signals are dropped, not taken for new offers. */
  readonly retired: readonly string[];
}

export type IceState = 'new' | 'checking' | 'connected' | 'completed' | 'disconnected' | 'failed' | 'closed';

export type LinkEvent =
  | { readonly type: 'start'; readonly nonce: string; readonly seed: number }
  | { readonly type: 'camera'; readonly available: boolean }
  | { readonly type: 'signaling-open' }
  | { readonly type: 'signaling-joined'; readonly peers: readonly string[] }
  | { readonly type: 'signaling-closed'; readonly code: number }
  | { readonly type: 'partner-joined'; readonly site: string }
  | { readonly type: 'partner-left'; readonly site: string }
  | { readonly type: 'signal'; readonly from: string; readonly envelope: LinkEnvelope }
  | { readonly type: 'peer-connected'; readonly session: string }
  | { readonly type: 'remote-frames'; readonly session: string }
  | { readonly type: 'peer-heartbeat'; readonly session: string }
  | { readonly type: 'ice-state'; readonly session: string; readonly state: IceState }
  | { readonly type: 'peer-closed'; readonly session: string; readonly reason: string }
  /** A person (or a settings change that needs it) asks for a fresh session now. */
  | { readonly type: 'reconnect'; readonly reason: string }
  | { readonly type: 'timer'; readonly timer: TimerName };

export type LinkEffect =
  | { readonly type: 'connect-signaling' }
  | { readonly type: 'send-join' }
  | { readonly type: 'send-signal'; readonly envelope: LinkEnvelope }
  | { readonly type: 'open-session'; readonly id: string; readonly role: Role }
  | { readonly type: 'deliver-signal'; readonly session: string; readonly data: unknown }
  | { readonly type: 'close-session'; readonly id: string; readonly reason: string }
  | { readonly type: 'schedule'; readonly timer: TimerName; readonly ms: number }
  | { readonly type: 'cancel'; readonly timer: TimerName };

export interface Transition {
  readonly state: LinkState;
  readonly effects: readonly LinkEffect[];
}

const RETIRED_KEPT = 16;

export function initialLinkState(site: string): LinkState {
  return {
    site,
    started: false,
    nonce: '',
    seed: 1,
    camera: 'unknown',
    signaling: 'down',
    everJoined: false,
    signalingFailures: 0,
    refused: null,
    partner: null,
    session: null,
    sessionCounter: 0,
    sessionFailures: 0,
    everLive: false,
    retired: [],
  };
}

/** The lower site name offers; names in a room always differ. */
export function roleFor(site: string, partner: string): Role {
  return site < partner ? 'offerer' : 'answerer';
}

/** The page state of docs/surface.md that this link state shows. */
export function portalStateOf(state: LinkState): PortalState {
  if (state.refused !== null) return 'error';
  if (!state.started) return 'starting';
  if (state.session?.media === 'live') return 'live';
  if (state.camera === 'missing') return 'no-camera';
  if (state.signaling !== 'joined') return state.everJoined ? 'reconnecting' : 'connecting';
  if (state.partner === null) return 'waiting';
  return state.everLive ? 'reconnecting' : 'negotiating';
}

export function transition(state: LinkState, event: LinkEvent): Transition {
  const t = new Builder(state);
  switch (event.type) {
    case 'start':
      if (state.started) return t.done();
      t.set({ started: true, nonce: event.nonce, seed: event.seed, signaling: 'connecting' });
      t.emit({ type: 'connect-signaling' });
      return t.done();
    case 'camera':
      t.set({ camera: event.available ? 'ok' : 'missing' });
      return t.done();
    case 'signaling-open':
      if (state.signaling !== 'connecting') return t.done();
      t.emit({ type: 'send-join' });
      return t.done();
    case 'signaling-joined':
      onJoined(t, event.peers);
      return t.done();
    case 'signaling-closed':
      onSignalingClosed(t, event.code);
      return t.done();
    case 'partner-joined':
      if (event.site === state.site) return t.done();
      t.set({ partner: event.site });
      onPartnerPresent(t);
      return t.done();
    case 'partner-left':
      if (event.site !== state.partner) return t.done();
      t.set({ partner: null });
      // A live session is left alone: the partner may only have lost signaling. If it is really
      // gone, the peer connection closes and says so.
      if (state.session !== null && state.session.media !== 'live') closeSession(t, 'partner left');
      t.emit({ type: 'cancel', timer: 'session-retry' });
      return t.done();
    case 'signal':
      if (event.from !== state.partner) return t.done();
      onEnvelope(t, event.envelope);
      return t.done();
    case 'peer-connected':
      if (!isCurrent(state, event.session) || state.session?.media === 'connected') return t.done();
      if (state.session?.media === 'negotiating') {
        t.set({ session: { ...state.session, media: 'connected' } });
        t.emit({ type: 'cancel', timer: 'negotiation-timeout' });
        t.emit({ type: 'schedule', timer: 'media-watchdog', ms: LINK_TIMING.mediaStallMs });
      } else {
        // Live already (pictures came first): now proven, and its heartbeats are watched.
        t.set({ sessionFailures: 0 });
      }
      t.emit({ type: 'schedule', timer: 'heartbeat-watchdog', ms: LINK_TIMING.heartbeatTimeoutMs });
      return t.done();
    case 'remote-frames':
      if (!isCurrent(state, event.session)) return t.done();
      if (state.session?.media !== 'live') {
        if (state.session?.media === 'negotiating') {
          // Pictures before the data channel: live now; the channel gets its grace to open.
          t.emit({ type: 'cancel', timer: 'negotiation-timeout' });
          t.emit({ type: 'schedule', timer: 'heartbeat-watchdog', ms: LINK_TIMING.dataChannelGraceMs });
        }
        // Failures are forgiven once the data channel is up too (peer-connected or here).
        const proven = state.session?.media === 'connected';
        t.set({
          session: { ...state.session!, media: 'live' },
          everLive: true,
          ...(proven ? { sessionFailures: 0 } : {}),
        });
      }
      t.emit({ type: 'schedule', timer: 'media-watchdog', ms: LINK_TIMING.mediaStallMs });
      return t.done();
    case 'peer-heartbeat':
      if (!isCurrent(state, event.session) || state.session?.media === 'negotiating') return t.done();
      t.emit({ type: 'schedule', timer: 'heartbeat-watchdog', ms: LINK_TIMING.heartbeatTimeoutMs });
      return t.done();
    case 'ice-state':
      if (!isCurrent(state, event.session)) return t.done();
      onIceState(t, event.state);
      return t.done();
    case 'peer-closed':
      if (!isCurrent(state, event.session)) return t.done();
      restartSession(t, event.reason);
      return t.done();
    case 'reconnect':
      reconnect(t, event.reason);
      return t.done();
    case 'timer':
      onTimer(t, event.timer);
      return t.done();
    default:
      return assertNever(event);
  }
}

function onJoined(t: Builder, peers: readonly string[]): void {
  const partner = peers.find((site) => site !== t.state.site) ?? null;
  t.set({ signaling: 'joined', everJoined: true, signalingFailures: 0, refused: null, partner });
  t.emit({ type: 'cancel', timer: 'signaling-retry' });
  if (partner !== null) {
    onPartnerPresent(t);
  } else if (t.state.session !== null && t.state.session.media !== 'live') {
    closeSession(t, 'partner not in the room');
  }
}

function onSignalingClosed(t: Builder, code: number): void {
  const refusal = errorCodeForClose(code);
  t.set({ signaling: 'down', signalingFailures: t.state.signalingFailures + 1 });
  if (refusal === 'replaced') {
    // Another page of this same site took our place; two would take it from each other forever.
    t.set({ refused: { code: refusal, retrying: false } });
    return;
  }
  if (refusal === 'unauthorized' || refusal === 'room-full') {
    t.set({ refused: { code: refusal, retrying: true } });
    t.emit({ type: 'schedule', timer: 'signaling-retry', ms: LINK_TIMING.refusedRetryMs });
    return;
  }
  t.emit({ type: 'schedule', timer: 'signaling-retry', ms: t.backoff('signaling', t.state.signalingFailures) });
}

/** The partner is in the room: make sure a session exists, or check that ours is theirs. */
function onPartnerPresent(t: Builder): void {
  const { session, partner, site } = t.state;
  if (partner === null || t.state.signaling !== 'joined') return;
  if (session !== null) {
    t.emit({ type: 'send-signal', envelope: { s: session.id, sync: true } });
    return;
  }
  if (roleFor(site, partner) === 'offerer') {
    if (t.state.sessionFailures === 0) openSession(t);
    else t.emit({ type: 'schedule', timer: 'session-retry', ms: t.backoff('session', t.state.sessionFailures) });
  } else {
    t.emit({ type: 'send-signal', envelope: { s: null, sync: true } });
  }
}

function onEnvelope(t: Builder, envelope: LinkEnvelope): void {
  const { session, partner, site } = t.state;
  if (partner === null) return;
  const role = roleFor(site, partner);
  if ('sync' in envelope) {
    if (session !== null && envelope.s === session.id) return; // we agree
    if (role === 'answerer') {
      // Tell the offerer what we hold, unless this is its new session's offer still on the way.
      t.emit({ type: 'send-signal', envelope: { s: session?.id ?? null, sync: true } });
      return;
    }
    // Offerer: the partner holds another session (or none). A fresh one of ours is already on its
    // way to them; anything else is replaced.
    if (session?.media === 'negotiating') return;
    if (session !== null) closeSession(t, 'partner holds another session');
    openSession(t);
    return;
  }
  if (session !== null && envelope.s === session.id) {
    t.emit({ type: 'deliver-signal', session: session.id, data: envelope.d });
    return;
  }
  if (role === 'answerer' && isOffer(envelope.d) && !t.state.retired.includes(envelope.s)) {
    if (session !== null) closeSession(t, 'partner started a new session');
    t.set({ session: { id: envelope.s, role: 'answerer', media: 'negotiating' } });
    t.emit({ type: 'cancel', timer: 'session-retry' });
    t.emit({ type: 'open-session', id: envelope.s, role: 'answerer' });
    t.emit({ type: 'schedule', timer: 'negotiation-timeout', ms: LINK_TIMING.negotiationTimeoutMs });
    t.emit({ type: 'deliver-signal', session: envelope.s, data: envelope.d });
  }
  // Anything else belongs to a retired or unknown session: dropped.
}

function onIceState(t: Builder, ice: IceState): void {
  switch (ice) {
    case 'disconnected':
      // Often a brief loss that ICE recovers from on its own; Chrome only reports 'failed' much
      // later, so give it a short grace period rather than waiting for that.
      t.emit({ type: 'schedule', timer: 'ice-grace', ms: LINK_TIMING.iceGraceMs });
      return;
    case 'connected':
    case 'completed':
      t.emit({ type: 'cancel', timer: 'ice-grace' });
      return;
    case 'failed':
    case 'closed':
      restartSession(t, `ICE ${ice}`);
      return;
    case 'new':
    case 'checking':
      return;
    default:
      assertNever(ice);
  }
}

function onTimer(t: Builder, timer: TimerName): void {
  switch (timer) {
    case 'signaling-retry':
      if (t.state.signaling === 'joined' || t.state.refused?.retrying === false) return;
      t.set({ signaling: 'connecting' });
      t.emit({ type: 'connect-signaling' });
      return;
    case 'session-retry':
      if (t.state.session !== null || t.state.partner === null || t.state.signaling !== 'joined') return;
      if (roleFor(t.state.site, t.state.partner) === 'offerer') openSession(t);
      else {
        t.emit({ type: 'send-signal', envelope: { s: null, sync: true } });
        t.emit({ type: 'schedule', timer: 'session-retry', ms: t.backoff('session', t.state.sessionFailures) });
      }
      return;
    case 'ice-grace':
      if (t.state.session !== null) restartSession(t, 'ICE stayed disconnected');
      return;
    case 'media-watchdog':
      if (t.state.session !== null && t.state.session.media !== 'negotiating') restartSession(t, 'no remote frames');
      return;
    case 'heartbeat-watchdog':
      if (t.state.session !== null && t.state.session.media !== 'negotiating') restartSession(t, 'no heartbeat');
      return;
    case 'negotiation-timeout':
      if (t.state.session?.media === 'negotiating') restartSession(t, 'negotiation timed out');
      return;
    default:
      assertNever(timer);
  }
}

function openSession(t: Builder): void {
  const counter = t.state.sessionCounter + 1;
  const id = `${t.state.nonce}.${counter}`;
  t.set({ sessionCounter: counter, session: { id, role: 'offerer', media: 'negotiating' } });
  t.emit({ type: 'cancel', timer: 'session-retry' });
  t.emit({ type: 'open-session', id, role: 'offerer' });
  t.emit({ type: 'schedule', timer: 'negotiation-timeout', ms: LINK_TIMING.negotiationTimeoutMs });
}

function closeSession(t: Builder, reason: string): void {
  const session = t.state.session;
  if (session === null) return;
  t.set({ session: null, retired: [...t.state.retired, session.id].slice(-RETIRED_KEPT) });
  t.emit({ type: 'close-session', id: session.id, reason });
  for (const timer of SESSION_TIMERS) t.emit({ type: 'cancel', timer });
}

/** The media link died: close it, and start over after a backoff that grows with each failure. */
function restartSession(t: Builder, reason: string): void {
  closeSession(t, reason);
  const failures = t.state.sessionFailures + 1;
  t.set({ sessionFailures: failures });
  const { partner, site } = t.state;
  if (partner === null || t.state.signaling !== 'joined') return; // onJoined/partner-joined resume
  if (roleFor(site, partner) === 'answerer') t.emit({ type: 'send-signal', envelope: { s: null, sync: true } });
  t.emit({ type: 'schedule', timer: 'session-retry', ms: t.backoff('session', failures) });
}

/**
 * A fresh session at once, with no backoff: the offerer opens one, the answerer asks the offerer
 * for one (a sync naming no session). Without the partner in the room there is nothing to do.
 */
function reconnect(t: Builder, reason: string): void {
  closeSession(t, reason);
  t.set({ sessionFailures: 0 });
  const { partner, site } = t.state;
  if (partner === null || t.state.signaling !== 'joined') return;
  if (roleFor(site, partner) === 'offerer') openSession(t);
  else t.emit({ type: 'send-signal', envelope: { s: null, sync: true } });
}

function isCurrent(state: LinkState, session: string): boolean {
  return state.session?.id === session;
}

/** Collects one transition's state changes and effects. */
class Builder {
  private readonly effects: LinkEffect[] = [];

  constructor(public state: LinkState) {}

  set(changes: Partial<LinkState>): void {
    this.state = { ...this.state, ...changes };
  }

  emit(effect: LinkEffect): void {
    this.effects.push(effect);
  }

  backoff(kind: 'signaling' | 'session', attempt: number): number {
    const { value, seed } = nextRandom(this.state.seed);
    this.set({ seed });
    return backoffDelay(kind === 'signaling' ? SIGNALING_BACKOFF : SESSION_BACKOFF, attempt, value);
  }

  done(): Transition {
    return { state: this.state, effects: this.effects };
  }
}
