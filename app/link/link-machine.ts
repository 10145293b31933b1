// The link between two sites as a pure state machine: transition(state, event) returns the next
// state and the effects the renderer's controller carries out (open a peer session, send a
// signal, set a timer). Nothing here touches a socket, a timer or `window`.
//
// Roles are fixed by site name order, so two sites never both offer: the lower name offers.
// Every signal carries a session id; signals of retired sessions are dropped. A signaling outage
// leaves a live session alone; only a dead media link starts a new session. A picture that stops
// is said at once (`stalled`: the page leaves `live`), but the session is kept while ICE may still
// come back by itself, so a cut of a few seconds ends on the same session. Sessions that keep
// failing on the direct path make the next ones relay-only for a while. A site closed by its
// opening hours holds no session and tells its partner so; both show `closed`. A site that pins
// its partner's fingerprint closes a session whose partner presents another certificate (the
// peer session checks it before any picture is shown), shows `error` until a session's partner
// matches, and tries again now and then.

import { errorCodeForClose, type ErrorCode } from '../signaling/error-codes.js';
import { assertNever } from '../util/assert-never.js';
import { isOffer, type ClosedNote, type LinkEnvelope } from './link-envelope.js';
import {
  SESSION_BACKOFF,
  SIGNALING_BACKOFF,
  UNTRUSTED_BACKOFF,
  backoffDelay,
  nextRandom,
} from './reconnect-backoff.js';

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
  'closed',
  'error',
] as const;
export type PortalState = (typeof PORTAL_STATES)[number];
/**
 * What `data-portal-error` says while the link is `error`: the server's refusal, or
 * `fingerprint` (the partner presented a certificate other than the pinned one).
 */
export type LinkError = ErrorCode | 'fingerprint';

export const LINK_TIMING = {
  /**
   * No decoded frame for this long: the picture is frozen and the page says so (frames are
   * counted every 500 ms, so the page knows within 2 s of the last one). The session is kept.
   */
  frameStallMs: 1_400,
  /**
   * After ICE says `disconnected`, wait at most this long for it to come back. Chrome itself says
   * the connection `failed` about 10 s after `disconnected` (15 s into a cut, measured in the
   * network lab), which ends the session first; this is the backstop.
   */
  iceGraceMs: 20_000,
  /** ICE down this long while the partner can be reached through signaling: restart ICE (offerer). */
  iceRestartMs: 2_000,
  /** No remote frame for this long while ICE is up: the media link is dead. */
  mediaStallMs: 4_000,
  /** No data-channel heartbeat from the partner for this long while ICE is up: the link is dead. */
  heartbeatTimeoutMs: 4_000,
  /**
   * Pictures can arrive before the data channel opens (on a thin link its handshake waits behind
   * the video): the session is live at once, and its channel has this long to open.
   */
  dataChannelGraceMs: 10_000,
  /**
   * A closed site says so at most this often: a partner running an older Portal cannot read the
   * closed note and asks again and again (a sync every few hundred ms); what it asks meanwhile
   * is answered once, when this has passed.
   */
  closedNoteMs: 5_000,
  /** A session that has not connected by now never will. */
  negotiationTimeoutMs: 15_000,
  /**
   * ICE found a path, but DTLS did not come up over it within this long: the path does not carry
   * big packets (a path-MTU black hole swallows DTLS's certificates, and video), so the session
   * is given up long before the negotiation timeout. Once DTLS is up, the data channel and the
   * first picture get dataChannelGraceMs (on a thin link they queue behind the first keyframes).
   */
  carryAfterIceMs: 5_000,
  /** After `unauthorized` or `room-full`, try again this often (the server's config may change). */
  refusedRetryMs: 30_000,
  /**
   * After another page of this site took its place: long enough that two screens set up with
   * the same name do not take the seat from each other every few seconds, short enough that a
   * kiosk pushed out (by a test screen left open, or by anyone with the room key) comes back by
   * itself.
   */
  replacedRetryMs: 5 * 60_000,
  /** This many sessions in a row that failed on the direct path make the next ones relay-only... */
  relayFallbackAfter: 2,
  /** ...for this long; then the direct path is tried again with the next session. */
  directRetryMs: 10 * 60_000,
} as const;

/**
 * The close code the signaling client reports when the server stopped answering (a connect that
 * hangs, pongs that stop): the network drops packets silently. Retried soon and often, without a
 * growing backoff, so a site is back within a couple of seconds of the network, however long the
 * cut; a server that refuses connections answers at once and gets the growing backoff instead.
 */
export const NO_ANSWER_CLOSE_CODE = 4000;

export type TimerName =
  | 'signaling-retry'
  | 'session-retry'
  | 'ice-grace'
  | 'ice-restart'
  | 'frame-stall'
  | 'media-watchdog'
  | 'heartbeat-watchdog'
  | 'negotiation-timeout'
  | 'direct-retry'
  | 'closed-note';

const SESSION_TIMERS: readonly TimerName[] = [
  'ice-grace',
  'ice-restart',
  'frame-stall',
  'media-watchdog',
  'heartbeat-watchdog',
  'negotiation-timeout',
];

export interface Session {
  readonly id: string;
  readonly role: Role;
  /**
   * negotiating: created, not yet connected; connected: peer up, no picture yet; live: remote
   * frames arriving; stalled: they stopped (the page shows `reconnecting`), the session is kept.
   */
  readonly media: 'negotiating' | 'connected' | 'live' | 'stalled';
  /**
   * Whether the connection carries anything: `down` when ICE says `disconnected`, or heartbeats
   * and pictures both stopped (Chrome says `disconnected` only ~5 s into a cut); `up` again when
   * ICE reconnects or a heartbeat arrives. While down, ICE decides: it may come back on this
   * session, else Chrome says `failed`.
   */
  readonly link: 'up' | 'down';
  /** Heartbeats since the last new frames: two or more, and the channel works without pictures. */
  readonly heartbeatsSinceFrames: number;
  /** Opened relay-only because the direct path kept failing. */
  readonly relay: boolean;
  /** Pictures and the data channel both came: this session worked. */
  readonly proven: boolean;
  /** An ICE restart was asked for during this outage. */
  readonly iceRestarted: boolean;
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
  /** Sessions in a row that failed on the direct path before they worked. */
  readonly directFailures: number;
  /** The next sessions are relay-only (until the `direct-retry` timer). */
  readonly relayFallback: boolean;
  /** The partner's signaling connection was lost (not a leave): it may come back. */
  readonly partnerLost: boolean;
  readonly everLive: boolean;
  /** Recently closed session ids: their late signals are dropped, not taken for new offers. */
  readonly retired: readonly string[];
  /** This site is closed by its opening hours: no session, nothing sent. */
  readonly closed: ClosedNote | null;
  /** The partner said it is closed by its hours (until it says anything else, or leaves). */
  readonly partnerClosed: ClosedNote | null;
  /** New sessions opened because one failed: the repair step `session`. */
  readonly sessionRepairs: number;
  /** A closed note went out within closedNoteMs (`held`), and another is owed when it ends (`owed`). */
  readonly closedNoteHold: 'free' | 'held' | 'owed';
  /**
   * The last session's partner was not the pinned site (its certificate did not match), and no
   * session's has matched since: the page is `error`. `held`: the next session waits for the
   * session-retry timer, which a partner's sync does not hurry (the offerer's side of it).
   */
  readonly untrusted: { readonly held: boolean } | null;
}

export type IceState = 'new' | 'checking' | 'connected' | 'completed' | 'disconnected' | 'failed' | 'closed';

export type LinkEvent =
  | { readonly type: 'start'; readonly nonce: string; readonly seed: number }
  | { readonly type: 'camera'; readonly available: boolean }
  | { readonly type: 'signaling-open' }
  | { readonly type: 'signaling-joined'; readonly peers: readonly string[] }
  | { readonly type: 'signaling-closed'; readonly code: number }
  | { readonly type: 'partner-joined'; readonly site: string }
  /** `lost`: the partner stopped answering the server (a cut, a crash), rather than leaving. */
  | { readonly type: 'partner-left'; readonly site: string; readonly lost?: boolean }
  | { readonly type: 'signal'; readonly from: string; readonly envelope: LinkEnvelope }
  | { readonly type: 'peer-connected'; readonly session: string }
  | { readonly type: 'remote-frames'; readonly session: string }
  | { readonly type: 'peer-heartbeat'; readonly session: string }
  /** RTP from the partner (audio or video) arrives again after a pause: the path is back. */
  | { readonly type: 'peer-packets'; readonly session: string }
  /** DTLS is up on this session's path (the peer connection says `connected`). */
  | { readonly type: 'transport-up'; readonly session: string }
  | { readonly type: 'ice-state'; readonly session: string; readonly state: IceState }
  | { readonly type: 'peer-closed'; readonly session: string; readonly reason: string }
  /** The partner's certificate is not the pinned one: the session is closed, nothing of it shown. */
  | { readonly type: 'partner-untrusted'; readonly session: string }
  /** A person (or a settings change that needs it) asks for a fresh session now. */
  | { readonly type: 'reconnect'; readonly reason: string }
  /** The opening hours say this site is closed (until when), or open (null). */
  | { readonly type: 'hours'; readonly closed: ClosedNote | null }
  | { readonly type: 'timer'; readonly timer: TimerName };

export type LinkEffect =
  | { readonly type: 'connect-signaling' }
  | { readonly type: 'send-join' }
  | { readonly type: 'send-signal'; readonly envelope: LinkEnvelope }
  /** `relay`: relay-only, the direct path having failed (the controller needs a TURN server for it). */
  | { readonly type: 'open-session'; readonly id: string; readonly role: Role; readonly relay: boolean }
  | { readonly type: 'restart-ice'; readonly session: string }
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
    directFailures: 0,
    relayFallback: false,
    partnerLost: false,
    everLive: false,
    retired: [],
    closed: null,
    partnerClosed: null,
    sessionRepairs: 0,
    closedNoteHold: 'free',
    untrusted: null,
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
  if (state.closed !== null) return 'closed';
  // A partner that is not the pinned site is said until one that is comes: not `negotiating`
  // with each quiet new try.
  if (state.untrusted !== null) return 'error';
  if (state.session?.media === 'live') return 'live';
  if (state.partnerClosed !== null && state.partner !== null && state.signaling === 'joined') return 'closed';
  if (state.camera === 'missing') return 'no-camera';
  if (state.signaling !== 'joined') return state.everJoined ? 'reconnecting' : 'connecting';
  // A frozen picture, or a partner that dropped off mid-call, is not `waiting`: it may come back.
  if (state.session?.media === 'stalled') return 'reconnecting';
  if (state.partner === null) return state.partnerLost && state.everLive ? 'reconnecting' : 'waiting';
  return state.everLive ? 'reconnecting' : 'negotiating';
}

/** The code `data-portal-error` holds, while the page is `error` for a reason of the link's. */
export function linkErrorOf(state: LinkState): LinkError | null {
  if (state.refused !== null) return state.refused.code;
  return portalStateOf(state) === 'error' && state.untrusted !== null ? 'fingerprint' : null;
}

/**
 * The partner as this site sees it, for health reports: `closed` when either site is closed by
 * its hours (both screens say so), `live` while its pictures arrive, else on the way there.
 */
export function partnerStateOf(state: LinkState): { readonly site: string; readonly state: PortalState } | null {
  if (state.partner === null) return null;
  const site = state.partner;
  if (state.closed !== null || state.partnerClosed !== null) return { site, state: 'closed' };
  if (state.session?.media === 'live') return { site, state: 'live' };
  if (state.session?.media === 'stalled' || state.signaling !== 'joined') return { site, state: 'reconnecting' };
  return { site, state: state.everLive && state.session === null ? 'reconnecting' : 'negotiating' };
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
      // A partner that (re)appears is news: earlier failures were with a partner that was gone,
      // so the first session opens at once rather than after their backoff.
      // A page that (re)joins says for itself whether it is closed.
      t.set({
        partner: event.site,
        partnerLost: false,
        sessionFailures: 0,
        partnerClosed: null,
        closedNoteHold: 'free',
        ...(state.untrusted === null ? {} : { untrusted: { held: false } }),
      });
      onPartnerPresent(t);
      return t.done();
    case 'partner-left':
      if (event.site !== state.partner) return t.done();
      t.set({ partner: null, partnerLost: event.lost === true, partnerClosed: null });
      // A session that had pictures is left alone: the partner may only have lost signaling. If
      // it is really gone, the peer connection closes and says so.
      if (state.session !== null && !hadPictures(state.session)) closeSession(t, 'partner left');
      t.emit({ type: 'cancel', timer: 'session-retry' });
      return t.done();
    case 'signal':
      if (event.from !== state.partner) return t.done();
      onEnvelope(t, event.envelope);
      return t.done();
    case 'peer-connected': {
      const session = state.session;
      if (session === null || !isCurrent(state, event.session) || session.media === 'connected') return t.done();
      trusted(t);
      if (session.media === 'negotiating') {
        t.set({ session: { ...session, media: 'connected' } });
        t.emit({ type: 'cancel', timer: 'negotiation-timeout' });
        t.emit({ type: 'schedule', timer: 'media-watchdog', ms: LINK_TIMING.mediaStallMs });
      } else {
        // Pictures came first: now the channel is up too, and its heartbeats are watched.
        prove(t);
      }
      t.emit({ type: 'schedule', timer: 'heartbeat-watchdog', ms: LINK_TIMING.heartbeatTimeoutMs });
      return t.done();
    }
    case 'remote-frames': {
      const session = state.session;
      if (session === null || !isCurrent(state, event.session)) return t.done();
      trusted(t);
      if (session.media !== 'live') {
        if (session.media === 'negotiating') {
          // Pictures before the data channel: live now; the channel gets its grace to open.
          t.emit({ type: 'cancel', timer: 'negotiation-timeout' });
          t.emit({ type: 'schedule', timer: 'heartbeat-watchdog', ms: LINK_TIMING.dataChannelGraceMs });
        }
        t.set({ session: { ...session, media: 'live' }, everLive: true });
        // Failures are forgiven once the data channel is up too (here or at peer-connected).
        if (session.media === 'connected') prove(t);
      }
      t.set({ session: { ...t.state.session!, heartbeatsSinceFrames: 0 } });
      linkUp(t);
      t.emit({ type: 'schedule', timer: 'frame-stall', ms: LINK_TIMING.frameStallMs });
      t.emit({ type: 'schedule', timer: 'media-watchdog', ms: LINK_TIMING.mediaStallMs });
      return t.done();
    }
    case 'peer-heartbeat': {
      const session = state.session;
      if (session === null || !isCurrent(state, event.session) || session.media === 'negotiating') return t.done();
      t.set({ session: { ...session, heartbeatsSinceFrames: session.heartbeatsSinceFrames + 1 } });
      t.emit({ type: 'schedule', timer: 'heartbeat-watchdog', ms: LINK_TIMING.heartbeatTimeoutMs });
      linkUp(t);
      return t.done();
    }
    case 'peer-packets':
      // Sooner than ICE (which says `connected` only after saying `disconnected`, ~5 s into a
      // cut) or the data channel (whose retransmissions back off during the cut).
      // Packets alone do not end the outage's backstop: a path that lets a few through but no
      // pictures and no heartbeats still ends the session on time.
      if (isCurrent(state, event.session) && state.session?.link === 'down') linkUp(t, { keepGrace: true });
      return t.done();
    case 'transport-up':
      // DTLS came through: the path carries big packets, so the data channel and pictures get
      // their usual time (a thin link queues them behind the first keyframes). With a pin, the
      // session says so only once the partner's certificate matched.
      if (isCurrent(state, event.session)) trusted(t);
      if (isCurrent(state, event.session) && state.session?.media === 'negotiating')
        t.emit({ type: 'schedule', timer: 'negotiation-timeout', ms: LINK_TIMING.dataChannelGraceMs });
      return t.done();
    case 'ice-state':
      if (!isCurrent(state, event.session)) return t.done();
      onIceState(t, event.state);
      return t.done();
    case 'peer-closed':
      if (!isCurrent(state, event.session)) return t.done();
      restartSession(t, event.reason);
      return t.done();
    case 'partner-untrusted':
      if (!isCurrent(state, event.session)) return t.done();
      onUntrusted(t);
      return t.done();
    case 'reconnect':
      reconnect(t, event.reason);
      return t.done();
    case 'hours':
      onHours(t, event.closed);
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
  // An ICE restart asked for while the old socket was already dead never reached the partner:
  // once the link is still down on a socket that works, it may go out again.
  const held = t.state.session;
  if (held !== null && held.link === 'down' && held.iceRestarted) {
    t.set({ session: { ...held, iceRestarted: false } });
    if (held.role === 'offerer') t.emit({ type: 'schedule', timer: 'ice-restart', ms: LINK_TIMING.iceRestartMs / 2 });
  }
  t.emit({ type: 'cancel', timer: 'signaling-retry' });
  if (partner !== null) {
    t.set({ partnerLost: false });
    onPartnerPresent(t);
  } else if (t.state.session !== null && !hadPictures(t.state.session)) {
    closeSession(t, 'partner not in the room');
  }
}

function onSignalingClosed(t: Builder, code: number): void {
  if (code === NO_ANSWER_CLOSE_CODE) {
    // Silence, not a refusal: the network is cut. Try again soon, and keep trying as often.
    t.set({ signaling: 'down' });
    t.emit({ type: 'schedule', timer: 'signaling-retry', ms: t.backoff('signaling', 1) });
    return;
  }
  const refusal = errorCodeForClose(code);
  t.set({ signaling: 'down', signalingFailures: t.state.signalingFailures + 1 });
  if (refusal === 'replaced') {
    // Another page of this same site took our place. Taking it back at once, two would take it
    // from each other forever; never taking it back, a kiosk would need a person.
    t.set({ refused: { code: refusal, retrying: true } });
    t.emit({ type: 'schedule', timer: 'signaling-retry', ms: LINK_TIMING.replacedRetryMs });
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
  if (t.state.closed !== null) {
    sendClosedNote(t);
    return;
  }
  if (t.state.partnerClosed !== null) {
    // The partner was closed when it last said: say we are here and open. A closed partner
    // answers with its note again; an open one with its sync (or its offer), as usual.
    t.emit({ type: 'send-signal', envelope: { s: null, sync: true } });
    return;
  }
  if (session !== null) {
    t.emit({ type: 'send-signal', envelope: { s: session.id, sync: true } });
    return;
  }
  if (roleFor(site, partner) === 'offerer') {
    if (t.state.sessionFailures === 0) openSession(t);
    else t.emit({ type: 'schedule', timer: 'session-retry', ms: retryDelay(t, t.state.sessionFailures) });
  } else {
    t.emit({ type: 'send-signal', envelope: { s: null, sync: true } });
  }
}

function onEnvelope(t: Builder, envelope: LinkEnvelope): void {
  const { partner, site } = t.state;
  if (partner === null) return;
  if ('closed' in envelope) {
    t.set({ partnerClosed: envelope.closed, sessionFailures: 0 });
    closeSession(t, 'partner closed by its hours');
    t.emit({ type: 'cancel', timer: 'session-retry' });
    return;
  }
  if (t.state.partnerClosed !== null) {
    // Anything else from the partner says it is open again: earlier failures do not count.
    t.set({ partnerClosed: null, sessionFailures: 0 });
  }
  if (t.state.closed !== null) {
    // We are closed: whatever the partner asks for (a crossing sync or offer), say so again.
    sendClosedNote(t);
    return;
  }
  const session = t.state.session;
  const role = roleFor(site, partner);
  if ('sync' in envelope) {
    if (session !== null && envelope.s === session.id) return; // we agree
    if (role === 'answerer') {
      // Tell the offerer what we hold, unless this is its new session's offer still on the way.
      t.emit({ type: 'send-signal', envelope: { s: session?.id ?? null, sync: true } });
      return;
    }
    // Offerer: the partner holds another session (or none). A fresh one of ours is already on its
    // way to them; anything else is replaced. After a partner that was not the pinned site, the
    // next try waits for its timer: the partner's sync, at once, would make it a tight loop.
    if (session?.media === 'negotiating') return;
    if (session === null && t.state.untrusted?.held === true) return;
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
    const relay = t.state.relayFallback;
    t.set({ session: newSession(envelope.s, 'answerer', relay) });
    t.emit({ type: 'cancel', timer: 'session-retry' });
    t.emit({ type: 'open-session', id: envelope.s, role: 'answerer', relay });
    t.emit({ type: 'schedule', timer: 'negotiation-timeout', ms: LINK_TIMING.negotiationTimeoutMs });
    t.emit({ type: 'deliver-signal', session: envelope.s, data: envelope.d });
  }
  // Anything else belongs to a retired or unknown session: dropped.
}

/**
 * The connection stopped carrying anything: often a brief loss (a cut of a few seconds) that ICE
 * recovers from on its own, on this same session. The watchdogs wait; Chrome says `failed` if it
 * never comes back (the backstop is ice-grace), and the offerer restarts ICE meanwhile where
 * signaling reaches the partner.
 */
function linkDown(t: Builder): void {
  const session = t.state.session!;
  if (session.link === 'down') return;
  t.set({ session: { ...session, link: 'down', iceRestarted: false } });
  t.emit({ type: 'schedule', timer: 'ice-grace', ms: LINK_TIMING.iceGraceMs });
  if (session.role === 'offerer') t.emit({ type: 'schedule', timer: 'ice-restart', ms: LINK_TIMING.iceRestartMs });
}

/** Something came through again: pictures and heartbeats get their usual time to show it. */
function linkUp(t: Builder, options: { readonly keepGrace?: boolean } = {}): void {
  const session = t.state.session!;
  if (session.link === 'up') return;
  t.set({ session: { ...session, link: 'up' } });
  if (options.keepGrace !== true) t.emit({ type: 'cancel', timer: 'ice-grace' });
  t.emit({ type: 'cancel', timer: 'ice-restart' });
  if (session.media !== 'negotiating') {
    t.emit({ type: 'schedule', timer: 'media-watchdog', ms: LINK_TIMING.mediaStallMs });
    t.emit({ type: 'schedule', timer: 'heartbeat-watchdog', ms: LINK_TIMING.heartbeatTimeoutMs });
  }
}

function onIceState(t: Builder, ice: IceState): void {
  switch (ice) {
    case 'disconnected':
      linkDown(t);
      return;
    case 'connected':
    case 'completed':
      if (t.state.session?.media === 'negotiating')
        t.emit({ type: 'schedule', timer: 'negotiation-timeout', ms: LINK_TIMING.carryAfterIceMs });
      linkUp(t);
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
      if (t.state.untrusted !== null) t.set({ untrusted: { held: false } });
      if (t.state.session !== null || t.state.partner === null || t.state.signaling !== 'joined') return;
      if (t.state.closed !== null || t.state.partnerClosed !== null) return;
      if (roleFor(t.state.site, t.state.partner) === 'offerer') openSession(t);
      else {
        t.emit({ type: 'send-signal', envelope: { s: null, sync: true } });
        t.emit({ type: 'schedule', timer: 'session-retry', ms: retryDelay(t, t.state.sessionFailures) });
      }
      return;
    case 'ice-grace':
      if (t.state.session !== null) restartSession(t, 'ICE stayed disconnected');
      return;
    case 'ice-restart': {
      const session = t.state.session;
      if (session === null || session.link === 'up' || session.iceRestarted) return;
      if (t.state.signaling === 'joined' && t.state.partner !== null) {
        t.set({ session: { ...session, iceRestarted: true } });
        t.emit({ type: 'restart-ice', session: session.id });
      } else {
        // The partner cannot hear an ICE restart yet: ask again once it can.
        t.emit({ type: 'schedule', timer: 'ice-restart', ms: LINK_TIMING.iceRestartMs / 2 });
      }
      return;
    }
    case 'frame-stall':
      if (t.state.session?.media === 'live') t.set({ session: { ...t.state.session, media: 'stalled' } });
      return;
    case 'media-watchdog': {
      const session = t.state.session;
      if (session === null || session.media === 'negotiating' || session.link === 'down') return;
      // Heartbeats still come: the connection works and only the pictures stopped. Else it is
      // the connection, and ICE decides.
      if (session.heartbeatsSinceFrames >= 2) restartSession(t, 'no remote frames');
      else linkDown(t);
      return;
    }
    case 'heartbeat-watchdog': {
      const session = t.state.session;
      if (session === null || session.media === 'negotiating' || session.link === 'down') return;
      // Pictures still come: the data channel alone is broken. Else it is the connection.
      if (session.media === 'live') restartSession(t, 'no heartbeat');
      else linkDown(t);
      return;
    }
    case 'negotiation-timeout':
      if (t.state.session?.media === 'negotiating') restartSession(t, 'negotiation timed out');
      return;
    case 'direct-retry':
      t.set({ relayFallback: false, directFailures: 0 });
      return;
    case 'closed-note': {
      const owed = t.state.closedNoteHold === 'owed';
      t.set({ closedNoteHold: 'free' });
      if (owed && t.state.partner !== null && t.state.signaling === 'joined') sendClosedNote(t);
      return;
    }
    default:
      assertNever(timer);
  }
}

function newSession(id: string, role: Role, relay: boolean): Session {
  return {
    id,
    role,
    media: 'negotiating',
    link: 'up',
    heartbeatsSinceFrames: 0,
    relay,
    proven: false,
    iceRestarted: false,
  };
}

/** Pictures came on this session: it is kept through a partner's signaling outage. */
function hadPictures(session: Session): boolean {
  return session.media === 'live' || session.media === 'stalled';
}

/** The session works (pictures and the data channel): earlier failures are forgiven. */
function prove(t: Builder): void {
  const session = t.state.session!;
  t.set({
    session: { ...session, proven: true },
    sessionFailures: 0,
    ...(session.relay ? {} : { directFailures: 0 }),
  });
}

function openSession(t: Builder): void {
  const counter = t.state.sessionCounter + 1;
  const id = `${t.state.nonce}.${counter}`;
  const relay = t.state.relayFallback;
  t.set({ sessionCounter: counter, session: newSession(id, 'offerer', relay) });
  t.emit({ type: 'cancel', timer: 'session-retry' });
  t.emit({ type: 'open-session', id, role: 'offerer', relay });
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
  const failed = t.state.session;
  closeSession(t, reason);
  const failures = t.state.sessionFailures + 1;
  t.set({ sessionFailures: failures, sessionRepairs: t.state.sessionRepairs + 1 });
  if (failed !== null && !failed.proven && !failed.relay) {
    // It never worked on the direct path: after a few of those, relay-only for a while.
    const directFailures = t.state.directFailures + 1;
    t.set({ directFailures });
    if (directFailures >= LINK_TIMING.relayFallbackAfter && !t.state.relayFallback) {
      t.set({ relayFallback: true });
      t.emit({ type: 'schedule', timer: 'direct-retry', ms: LINK_TIMING.directRetryMs });
    }
  }
  const { partner, site } = t.state;
  if (partner === null || t.state.signaling !== 'joined') return; // onJoined/partner-joined resume
  if (roleFor(site, partner) === 'answerer') t.emit({ type: 'send-signal', envelope: { s: null, sync: true } });
  t.emit({ type: 'schedule', timer: 'session-retry', ms: retryDelay(t, failures) });
}

/**
 * The partner presented a certificate other than the pinned one: the session ends (the peer
 * session showed nothing of it), the page says so, and a new one is tried after a backoff that
 * grows to UNTRUSTED_BACKOFF's cap, so a pin put right (or the right partner back) is taken up
 * by itself. Not a repair, and not a failure of the path: the relay fallback does not count it.
 */
function onUntrusted(t: Builder): void {
  closeSession(t, 'partner certificate does not match the pin');
  const failures = t.state.sessionFailures + 1;
  t.set({ sessionFailures: failures, untrusted: { held: true } });
  if (t.state.partner === null || t.state.signaling !== 'joined') return;
  // The answerer asks for the next session when its timer fires, not now.
  t.emit({ type: 'schedule', timer: 'session-retry', ms: retryDelay(t, failures) });
}

/** A session's partner matched the pin (or there is none to match): the page may leave `error`. */
function trusted(t: Builder): void {
  if (t.state.untrusted !== null) t.set({ untrusted: null });
}

/** The wait before the next session: slower while the partner is not the pinned site. */
function retryDelay(t: Builder, failures: number): number {
  return t.backoff(t.state.untrusted !== null ? 'untrusted' : 'session', failures);
}

/**
 * A fresh session at once, with no backoff: the offerer opens one, the answerer asks the offerer
 * for one (a sync naming no session). Without the partner in the room there is nothing to do.
 */
function reconnect(t: Builder, reason: string): void {
  closeSession(t, reason);
  t.set({ sessionFailures: 0, ...(t.state.untrusted === null ? {} : { untrusted: { held: false } }) });
  const { partner, site } = t.state;
  if (partner === null || t.state.signaling !== 'joined') return;
  if (t.state.closed !== null || t.state.partnerClosed !== null) return;
  if (roleFor(site, partner) === 'offerer') openSession(t);
  else t.emit({ type: 'send-signal', envelope: { s: null, sync: true } });
}

/**
 * Closing: the session ends (not a failure) and the partner is told until when. Opening: the
 * partner hears it from our sync or offer, as when it appears.
 */
function onHours(t: Builder, closed: ClosedNote | null): void {
  const was = t.state.closed;
  if (closed === null) {
    if (was === null) return;
    t.set({ closed: null, sessionFailures: 0 });
    onPartnerPresent(t);
    return;
  }
  t.set({ closed });
  closeSession(t, 'closed by its hours');
  t.emit({ type: 'cancel', timer: 'session-retry' });
  // A closing (or new hours) is news: told at once, whatever was said before.
  if (t.state.partner !== null && t.state.signaling === 'joined') {
    t.set({ closedNoteHold: 'free' });
    sendClosedNote(t);
  }
}

/** Our closed note to the partner, at most once per closedNoteMs (the rest is owed till then). */
function sendClosedNote(t: Builder): void {
  const closed = t.state.closed;
  if (closed === null) return;
  if (t.state.closedNoteHold !== 'free') {
    t.set({ closedNoteHold: 'owed' });
    return;
  }
  t.set({ closedNoteHold: 'held' });
  t.emit({ type: 'send-signal', envelope: { s: null, closed } });
  t.emit({ type: 'schedule', timer: 'closed-note', ms: LINK_TIMING.closedNoteMs });
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

  backoff(kind: 'signaling' | 'session' | 'untrusted', attempt: number): number {
    const { value, seed } = nextRandom(this.state.seed);
    this.set({ seed });
    const policy = kind === 'signaling' ? SIGNALING_BACKOFF : kind === 'session' ? SESSION_BACKOFF : UNTRUSTED_BACKOFF;
    return backoffDelay(policy, attempt, value);
  }

  done(): Transition {
    return { state: this.state, effects: this.effects };
  }
}
