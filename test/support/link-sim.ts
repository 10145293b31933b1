// Two link machines on a fake clock, joined by a fake signaling server and a fake peer
// transport: the machine's effects are carried out the way the renderer's controller will, but
// instantly and deterministically, so a test can step time millisecond by millisecond.

import type { LinkEnvelope } from '../../app/link/link-envelope.js';
import {
  initialLinkState,
  portalStateOf,
  transition,
  type LinkEffect,
  type LinkEvent,
  type LinkState,
  type PortalState,
  type TimerName,
} from '../../app/link/link-machine.js';

/** How long the fake transport takes to connect once the answer is delivered. */
export const CONNECT_MS = 50;
/** Remote frames are reported this often while media flows. */
export const FRAME_REPORT_MS = 500;
/** As Chrome, measured in the network lab: ICE says `disconnected` this long into a cut... */
export const ICE_DISCONNECTED_AFTER_MS = 5_000;
/** ...and the connection `failed` (simple-peer then closes) this long into it. */
export const ICE_FAILED_AFTER_MS = 15_000;

export class SimSite {
  state: LinkState;
  readonly timers = new Map<TimerName, number>();
  readonly effects: LinkEffect[] = [];
  /** Sessions this site's fake transport holds open. */
  readonly openSessions = new Set<string>();
  signalingUp = false;
  /** Which envelopes this site's Portal understands (an older one knows fewer); the rest are dropped. */
  reads: (envelope: LinkEnvelope) => boolean = () => true;
  /**
   * Whether this site's pin takes the partner's certificate (no pin takes any). A site that does
   * not closes each session as DTLS comes up, before anything of it is shown, as PeerSession does.
   */
  trusts: (partner: SimSite) => boolean = () => true;

  constructor(
    readonly sim: LinkSim,
    readonly name: string,
    private readonly nonce: string,
  ) {
    this.state = initialLinkState(name);
  }

  get portalState(): PortalState {
    return portalStateOf(this.state);
  }

  start(): void {
    this.dispatch({ type: 'start', nonce: this.nonce, seed: this.name.length * 7919 });
  }

  dispatch(event: LinkEvent): void {
    const { state, effects } = transition(this.state, event);
    this.state = state;
    for (const effect of effects) {
      this.effects.push(effect);
      this.sim.carryOut(this, effect);
    }
  }
}

export class LinkSim {
  now = 0;
  serverUp = true;
  /** The sites' transports can connect and carry anything (false: a silent network failure). */
  mediaPath = true;
  /** Video frames arrive (false: a frozen decoder or camera while the connection stays up). */
  frames = true;
  /** Data-channel heartbeats arrive. */
  heartbeats = true;
  private readonly queue: Array<{ at: number; seq: number; run: () => void }> = [];
  private seq = 0;
  readonly sites: SimSite[] = [];

  addSite(name: string, nonce = `${name}-n1`): SimSite {
    const site = new SimSite(this, name, nonce);
    this.sites.push(site);
    return site;
  }

  partnerOf(site: SimSite): SimSite | undefined {
    return this.sites.find((other) => other !== site && other.signalingUp);
  }

  /** Runs `run` after `ms` of fake time. */
  later(ms: number, run: () => void): void {
    this.queue.push({ at: this.now + ms, seq: this.seq++, run });
  }

  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const due = this.sites.flatMap((site) => [...site.timers].map(([timer, at]) => ({ site, timer, at })));
      const nextTimer = due.sort((a, b) => a.at - b.at)[0];
      this.queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const nextTask = this.queue[0];
      const at = Math.min(nextTimer?.at ?? Infinity, nextTask?.at ?? Infinity);
      if (at > end) break;
      this.now = at;
      if (nextTask && nextTask.at === at) {
        this.queue.shift();
        nextTask.run();
      } else if (nextTimer) {
        nextTimer.site.timers.delete(nextTimer.timer);
        nextTimer.site.dispatch({ type: 'timer', timer: nextTimer.timer });
      }
    }
    this.now = end;
  }

  /**
   * Jumps `ms` ahead while the link is steady (every site live, nothing failing): that time is the
   * same half-second cycle of frames and heartbeats over and over, so the watchdogs and queued
   * deliveries move with the clock instead of running each cycle. A timer that is not re-armed
   * by the cycle (direct-retry) keeps its time and fires at the next advance. For the fast-forward
   * soak, which would otherwise step through a year of half seconds.
   */
  skipSteady(ms: number): void {
    const steady =
      this.mediaPath &&
      this.frames &&
      this.heartbeats &&
      this.sites.every((site) => site.portalState === 'live' && site.state.session?.link === 'up');
    if (!steady) throw new Error(`skipSteady while not steady: ${this.describe()}`);
    const end = this.now + ms;
    for (const site of this.sites)
      for (const [timer, at] of site.timers)
        site.timers.set(timer, timer === 'direct-retry' ? Math.max(at, end) : at + ms);
    for (const task of this.queue) task.at += ms;
    this.now = end;
  }

  /** Advances until `check` holds; returns the time it took. Fails after `limitMs`. */
  until(check: () => boolean, limitMs = 60_000): number {
    const started = this.now;
    while (!check()) {
      if (this.now - started > limitMs) throw new Error(`not reached within ${limitMs} ms: ${this.describe()}`);
      this.advance(10);
    }
    return this.now - started;
  }

  describe(): string {
    return this.sites.map((s) => `${s.name}=${s.portalState}(${s.state.session?.id ?? '-'})`).join(' ');
  }

  /** The signaling server drops every connection; it accepts again when `serverUp` is true. */
  dropSignaling(): void {
    for (const site of this.sites) if (site.signalingUp) this.disconnect(site, 1006);
  }

  disconnect(site: SimSite, code: number): void {
    const wasUp = site.signalingUp;
    site.signalingUp = false;
    site.dispatch({ type: 'signaling-closed', code });
    if (wasUp)
      for (const other of this.sites) if (other.signalingUp) other.dispatch({ type: 'partner-left', site: site.name });
  }

  /** The site's page is gone (reload, crash): its transport closes and the partner notices. */
  kill(site: SimSite): void {
    const sessions = [...site.openSessions];
    site.openSessions.clear();
    this.sites.splice(this.sites.indexOf(site), 1);
    if (site.signalingUp)
      for (const other of this.sites) if (other.signalingUp) other.dispatch({ type: 'partner-left', site: site.name });
    for (const other of this.sites) {
      for (const id of sessions)
        if (other.openSessions.has(id)) this.later(10, () => this.closeTransport(other, id, 'remote closed'));
    }
  }

  closeTransport(site: SimSite, id: string, reason: string): void {
    if (!site.openSessions.delete(id)) return;
    site.dispatch({ type: 'peer-closed', session: id, reason });
  }

  carryOut(site: SimSite, effect: LinkEffect): void {
    switch (effect.type) {
      case 'connect-signaling':
        this.later(5, () => {
          if (!this.serverUp) return this.disconnect(site, 1006);
          site.dispatch({ type: 'signaling-open' });
        });
        return;
      case 'send-join':
        this.later(1, () => {
          const peers = this.sites.filter((other) => other !== site && other.signalingUp).map((other) => other.name);
          site.signalingUp = true;
          site.dispatch({ type: 'signaling-joined', peers });
          for (const other of this.sites)
            if (other !== site && other.signalingUp) other.dispatch({ type: 'partner-joined', site: site.name });
        });
        return;
      case 'send-signal':
        this.relay(site, effect.envelope);
        return;
      case 'open-session':
        site.openSessions.add(effect.id);
        // simple-peer's initiator emits its offer at once; the controller wraps it as { s, d }.
        if (effect.role === 'offerer') this.relay(site, { s: effect.id, d: { type: 'offer' } });
        return;
      case 'deliver-signal':
        this.onPeerSignal(site, effect.session, effect.data);
        return;
      case 'close-session':
        if (site.openSessions.delete(effect.id)) {
          for (const other of this.sites) {
            if (other !== site && other.openSessions.has(effect.id))
              this.later(10, () => this.closeTransport(other, effect.id, 'remote closed'));
          }
        }
        return;
      case 'schedule':
        site.timers.set(effect.timer, this.now + effect.ms);
        return;
      case 'cancel':
        site.timers.delete(effect.timer);
        return;
      default:
        return;
    }
  }

  private onPeerSignal(site: SimSite, session: string, data: unknown): void {
    const kind = (data as { type?: string }).type;
    if (kind === 'offer') {
      this.relay(site, { s: session, d: { type: 'answer' } });
    } else if (kind === 'answer') {
      const answerer = this.sites.find((other) => other !== site && other.openSessions.has(session));
      this.later(CONNECT_MS, () => {
        if (!answerer || !this.mediaPath) return;
        if (!site.openSessions.has(session) || !answerer.openSessions.has(session)) return;
        const refusing = [site, answerer].filter((end) => !end.trusts(end === site ? answerer : site));
        // The refusing end closes the session (its machine says so); the other sees it close.
        for (const end of refusing) end.dispatch({ type: 'partner-untrusted', session });
        if (refusing.length > 0) return;
        for (const end of [site, answerer]) end.dispatch({ type: 'peer-connected', session });
        this.flow(site, answerer, session);
      });
    }
  }

  /** Through the signaling server to the partner, when both are connected to it. */
  relay(site: SimSite, envelope: LinkEnvelope): void {
    if (!site.signalingUp) return;
    this.later(1, () => {
      const partner = this.partnerOf(site);
      if (partner && site.signalingUp && partner.reads(envelope))
        partner.dispatch({ type: 'signal', from: site.name, envelope });
    });
  }

  /**
   * While both ends hold the session and the media path works, each reports remote frames. When
   * the path goes (a cut), ICE behaves as Chrome's: `disconnected` some seconds in, `connected`
   * again if the path comes back before it `failed`, which closes the session at both ends.
   */
  private flow(a: SimSite, b: SimSite, session: string): void {
    let cutAt: number | null = null;
    let disconnected = false;
    const tick = (): void => {
      if (!this.sites.includes(a) || !this.sites.includes(b)) return;
      if (!a.openSessions.has(session) || !b.openSessions.has(session)) return;
      if (this.mediaPath) {
        if (disconnected) for (const end of [a, b]) end.dispatch({ type: 'ice-state', session, state: 'connected' });
        cutAt = null;
        disconnected = false;
        for (const end of [a, b]) {
          if (this.frames) end.dispatch({ type: 'remote-frames', session });
          if (this.heartbeats) end.dispatch({ type: 'peer-heartbeat', session });
        }
      } else {
        cutAt ??= this.now;
        if (!disconnected && this.now - cutAt >= ICE_DISCONNECTED_AFTER_MS) {
          disconnected = true;
          for (const end of [a, b]) end.dispatch({ type: 'ice-state', session, state: 'disconnected' });
        }
        if (this.now - cutAt >= ICE_FAILED_AFTER_MS) {
          for (const end of [a, b]) this.closeTransport(end, session, 'peer error ERR_CONNECTION_FAILURE');
          return;
        }
      }
      this.later(this.mediaPath ? FRAME_REPORT_MS : 100, tick);
    };
    tick();
  }
}

/** Dublin and Oslo in one simulation, both started. */
export function startedPair(): { sim: LinkSim; dublin: SimSite; oslo: SimSite } {
  const sim = new LinkSim();
  const dublin = sim.addSite('dublin');
  const oslo = sim.addSite('oslo');
  dublin.start();
  oslo.start();
  return { sim, dublin, oslo };
}
