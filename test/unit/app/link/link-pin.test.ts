import { describe, expect, it } from 'vitest';
import {
  initialLinkState,
  linkErrorOf,
  portalStateOf,
  transition,
  type LinkEffect,
  type LinkState,
} from '../../../../app/link/link-machine.js';
import { UNTRUSTED_BACKOFF } from '../../../../app/link/reconnect-backoff.js';
import type { LinkSim } from '../../../support/link-sim.js';
import { startedPair, type SimSite } from '../../../support/link-sim.js';

const pair = startedPair;

const both = (sim: LinkSim, state: string) => sim.sites.every((site) => site.portalState === state);

/** Steps the sim `ms` in 10 ms steps, recording every page state each site showed. */
function watch(sim: LinkSim, ms: number): Map<string, Set<string>> {
  const seen = new Map(sim.sites.map((site) => [site.name, new Set<string>()]));
  for (let t = 0; t < ms; t += 10) {
    sim.advance(10);
    for (const site of sim.sites) seen.get(site.name)!.add(site.portalState);
  }
  return seen;
}

/** When each session was opened (fake ms), by the offerer's open-session effects. */
function openTimes(sim: LinkSim, site: SimSite, ms: number): number[] {
  const times: number[] = [];
  let counted = site.effects.length;
  for (let t = 0; t < ms; t += 10) {
    sim.advance(10);
    const fresh = site.effects.slice(counted).filter((effect: LinkEffect) => effect.type === 'open-session');
    counted = site.effects.length;
    for (const _ of fresh) times.push(sim.now);
  }
  return times;
}

describe('the link machine with a pinned partner', () => {
  for (const pinning of ['dublin', 'oslo'] as const) {
    it(`keeps ${pinning} (the ${pinning === 'dublin' ? 'offerer' : 'answerer'}) in error while the partner is not the pinned one, never live at either site`, () => {
      const { sim, dublin, oslo } = pair();
      const site = pinning === 'dublin' ? dublin : oslo;
      site.trusts = () => false;
      const seen = watch(sim, 60_000);
      expect(site.portalState).toBe('error');
      expect(linkErrorOf(site.state)).toBe('fingerprint');
      expect(seen.get('dublin')!.has('live')).toBe(false);
      expect(seen.get('oslo')!.has('live')).toBe(false);
      // Once it has said so, it stays said: no `negotiating` with each quiet new try.
      const after = watch(sim, 60_000);
      expect([...after.get(pinning)!]).toEqual(['error']);
      // A partner that is not the pinned one is no repair of the link, and no reason for relays.
      expect(site.state.sessionRepairs).toBe(0);
      expect(site.state.relayFallback).toBe(false);
    });
  }

  it('tries again quietly, waiting longer each time up to a quarter of a minute (the pinning offerer)', () => {
    const { sim, dublin } = pair();
    dublin.trusts = () => false;
    const times = openTimes(sim, dublin, 120_000);
    const gaps = times.slice(1).map((at, i) => at - times[i]!);
    // The partner's sync after each refusal does not hurry the next try.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(UNTRUSTED_BACKOFF.firstMs * (1 - UNTRUSTED_BACKOFF.jitter));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(UNTRUSTED_BACKOFF.capMs * (1 + UNTRUSTED_BACKOFF.jitter) + 100);
    expect(gaps.at(-1)!).toBeGreaterThan(gaps[0]! * 4);
    expect(times.length).toBeGreaterThan(5);
    expect(times.length).toBeLessThan(16);
  });

  for (const pinning of ['dublin', 'oslo'] as const) {
    it(`goes live by itself once ${pinning}'s pin is put right, within the longest wait`, () => {
      const { sim, dublin, oslo } = pair();
      const site = pinning === 'dublin' ? dublin : oslo;
      site.trusts = () => false;
      sim.advance(10 * 60_000);
      expect(site.portalState).toBe('error');
      site.trusts = () => true;
      expect(sim.until(() => both(sim, 'live'), 30_000)).toBeLessThanOrEqual(
        UNTRUSTED_BACKOFF.capMs * (1 + UNTRUSTED_BACKOFF.jitter) + 1_000,
      );
      expect(linkErrorOf(site.state)).toBeNull();
    });
  }

  it('goes live at once when the settings change the pin (a new session is asked for)', () => {
    const { sim, dublin, oslo } = pair();
    dublin.trusts = () => false;
    sim.advance(10 * 60_000);
    dublin.trusts = () => true;
    dublin.dispatch({ type: 'reconnect', reason: 'settings changed' });
    expect(sim.until(() => both(sim, 'live'), 5_000)).toBeLessThan(1_000);
    expect(oslo.portalState).toBe('live');
  });
});

describe('the page state of a partner that is not the pinned one', () => {
  const negotiating = (): LinkState =>
    [
      { type: 'start', nonce: 'n', seed: 1 } as const,
      { type: 'signaling-open' } as const,
      { type: 'signaling-joined', peers: ['oslo'] } as const,
    ].reduce((state, event) => transition(state, event).state, initialLinkState('dublin'));

  it('is error with the code fingerprint, and the session is closed', () => {
    const refused = transition(negotiating(), { type: 'partner-untrusted', session: 'n.1' });
    expect(refused.effects).toContainEqual({
      type: 'close-session',
      id: 'n.1',
      reason: 'partner certificate does not match the pin',
    });
    expect(refused.state.session).toBeNull();
    expect(portalStateOf(refused.state)).toBe('error');
    expect(linkErrorOf(refused.state)).toBe('fingerprint');
  });

  it("ignores a refusal for a session that is over, and leaves error on the next session's DTLS", () => {
    const state = negotiating();
    expect(transition(state, { type: 'partner-untrusted', session: 'old.1' }).state).toBe(state);
    const refused = transition(state, { type: 'partner-untrusted', session: 'n.1' }).state;
    const retried = transition(refused, { type: 'timer', timer: 'session-retry' }).state;
    expect(retried.session?.id).toBe('n.2');
    expect(portalStateOf(retried)).toBe('error');
    const up = transition(retried, { type: 'transport-up', session: 'n.2' }).state;
    expect(portalStateOf(up)).toBe('negotiating');
    expect(linkErrorOf(up)).toBeNull();
  });

  it("gives way to the server's refusal and to the site's own opening hours", () => {
    const refused = transition(negotiating(), { type: 'partner-untrusted', session: 'n.1' }).state;
    const closed = transition(refused, { type: 'hours', closed: { opensAt: null, timezone: 'Europe/Dublin' } }).state;
    expect(portalStateOf(closed)).toBe('closed');
    expect(linkErrorOf(closed)).toBeNull();
    const kicked = transition(refused, { type: 'signaling-closed', code: 4401 }).state;
    expect(linkErrorOf(kicked)).toBe('unauthorized');
  });
});
