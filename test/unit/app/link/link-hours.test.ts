import { describe, expect, it } from 'vitest';
import { LINK_TIMING, partnerStateOf, portalStateOf, transition } from '../../../../app/link/link-machine.js';
import { LinkSim, startedPair, type SimSite } from '../../../support/link-sim.js';

const dublinClosed = { opensAt: Date.parse('2026-12-02T08:00:00Z'), timezone: 'Europe/Dublin' };
const both = (sim: LinkSim, state: string) => sim.sites.every((site) => site.portalState === state);

const pair = startedPair;

const sessionsOpened = (site: SimSite) => site.effects.filter((effect) => effect.type === 'open-session').length;

describe('the link machine and opening hours', () => {
  for (const closing of ['dublin', 'oslo'] as const) {
    it(`shows closed at both sites when ${closing} (the ${closing === 'dublin' ? 'offerer' : 'answerer'}) closes mid-call, and goes live again when it opens`, () => {
      const { sim, dublin, oslo } = pair();
      const site = closing === 'dublin' ? dublin : oslo;
      const partner = closing === 'dublin' ? oslo : dublin;
      sim.until(() => both(sim, 'live'));
      site.dispatch({ type: 'hours', closed: dublinClosed });
      sim.until(() => both(sim, 'closed'), 1_000);
      expect(site.state.session).toBeNull();
      expect(partner.state.session).toBeNull();
      expect(partner.state.partnerClosed).toEqual(dublinClosed);
      expect(partnerStateOf(partner.state)).toEqual({ site: site.name, state: 'closed' });
      // Closed is calm: nothing is opened, however long it lasts.
      const opened = sessionsOpened(dublin) + sessionsOpened(oslo);
      sim.advance(6 * 3_600_000);
      expect(sessionsOpened(dublin) + sessionsOpened(oslo)).toBe(opened);
      expect(both(sim, 'closed')).toBe(true);
      site.dispatch({ type: 'hours', closed: null });
      expect(sim.until(() => both(sim, 'live'))).toBeLessThan(1_000);
      expect(dublin.state.sessionRepairs + oslo.state.sessionRepairs).toBe(0);
    });
  }

  it('keeps a partner that opens first waiting on the closed one, then goes live when both are open', () => {
    const { sim, dublin, oslo } = pair();
    dublin.dispatch({ type: 'hours', closed: dublinClosed });
    oslo.dispatch({ type: 'hours', closed: { opensAt: null, timezone: 'Europe/Oslo' } });
    sim.until(() => both(sim, 'closed'));
    oslo.dispatch({ type: 'hours', closed: null });
    sim.advance(60_000);
    expect(both(sim, 'closed')).toBe(true);
    expect(oslo.state.partnerClosed).toEqual(dublinClosed);
    dublin.dispatch({ type: 'hours', closed: null });
    sim.until(() => both(sim, 'live'), 2_000);
  });

  it('goes live when two sites that met closed open one after the other', () => {
    // Found by the fast-forward soak: each had the other's closed note, and each waited.
    const { sim, dublin, oslo } = pair();
    sim.advance(1_000);
    dublin.dispatch({ type: 'hours', closed: dublinClosed });
    oslo.dispatch({ type: 'hours', closed: { opensAt: null, timezone: 'Europe/Oslo' } });
    sim.advance(1_000);
    expect([dublin.state.partnerClosed, oslo.state.partnerClosed]).not.toContain(null);
    for (const [first, second] of [
      [oslo, dublin],
      [dublin, oslo],
    ] as const) {
      first.dispatch({ type: 'hours', closed: null });
      sim.advance(60_000);
      expect(both(sim, 'closed')).toBe(true);
      second.dispatch({ type: 'hours', closed: null });
      sim.until(() => both(sim, 'live'), 2_000);
      for (const site of [first, second]) site.dispatch({ type: 'hours', closed: dublinClosed });
      sim.until(() => both(sim, 'closed'), 1_000);
    }
  });

  it('tells a partner that joins later, or reloads, that it is closed', () => {
    const sim = new LinkSim();
    const dublin = sim.addSite('dublin');
    dublin.start();
    dublin.dispatch({ type: 'hours', closed: dublinClosed });
    sim.advance(1_000);
    expect(dublin.portalState).toBe('closed');
    let oslo = sim.addSite('oslo');
    oslo.start();
    sim.until(() => oslo.portalState === 'closed', 1_000);
    sim.kill(oslo);
    oslo = sim.addSite('oslo', 'oslo-n2');
    oslo.start();
    sim.until(() => oslo.portalState === 'closed', 1_000);
    expect(sessionsOpened(dublin) + sessionsOpened(oslo)).toBe(0);
  });

  it('comes back closed when the closed site itself reloads while its partner waits', () => {
    const { sim, dublin } = pair();
    sim.until(() => both(sim, 'live'));
    sim.kill(dublin);
    const again = sim.addSite('dublin', 'dublin-n2');
    // The page knows its hours before it joins: closed from the first event on.
    again.dispatch({ type: 'hours', closed: dublinClosed });
    again.start();
    sim.until(() => both(sim, 'closed'), 2_000);
  });

  it('answers an offer that crossed its closing with its closed note, not an answer', () => {
    const { sim, dublin, oslo } = pair();
    sim.until(() => both(sim, 'live'));
    const osloClosed = { opensAt: null, timezone: 'Europe/Oslo' };
    oslo.dispatch({ type: 'hours', closed: osloClosed });
    // Dublin's offer was on its way before it heard: the note is said again (once the last one's
    // hold is over, so an older partner that cannot read it is not answered in a loop).
    const crossed = transition(oslo.state, {
      type: 'signal',
      from: 'dublin',
      envelope: { s: 'x.9', d: { type: 'offer' } },
    });
    expect(crossed.effects).toEqual([]);
    expect(transition(crossed.state, { type: 'timer', timer: 'closed-note' }).effects).toEqual([
      { type: 'send-signal', envelope: { s: null, closed: osloClosed } },
      { type: 'schedule', timer: 'closed-note', ms: LINK_TIMING.closedNoteMs },
    ]);
    sim.until(() => both(sim, 'closed'));
    expect(dublin.state.session).toBeNull();
  });

  it('answers a partner that cannot read the closed note (an older Portal) at most every 5 s', () => {
    const sim = new LinkSim();
    const dublin = sim.addSite('dublin');
    const oslo = sim.addSite('oslo');
    // Oslo drops closed notes, as a Portal from before opening hours does.
    oslo.reads = (envelope) => !('closed' in envelope);
    dublin.start();
    oslo.start();
    sim.until(() => both(sim, 'live'));
    for (const closing of [dublin, oslo]) {
      closing.dispatch({ type: 'hours', closed: dublinClosed });
      const sent = () => closing.effects.filter((effect) => effect.type === 'send-signal').length;
      const before = sent();
      sim.advance(3_600_000);
      expect(sent() - before).toBeLessThanOrEqual(3_600 / 5 + 2);
      expect(closing.portalState).toBe('closed');
      closing.dispatch({ type: 'hours', closed: null });
      sim.until(() => both(sim, 'live'), 30_000);
    }
  });

  it('shows closed before anything else, and waiting once a closed partner has left', () => {
    const { sim, dublin, oslo } = pair();
    sim.until(() => both(sim, 'live'));
    oslo.dispatch({ type: 'hours', closed: dublinClosed });
    sim.until(() => dublin.portalState === 'closed');
    expect(portalStateOf({ ...oslo.state, camera: 'missing', signaling: 'down' })).toBe('closed');
    sim.kill(oslo);
    sim.advance(100);
    expect(dublin.portalState).toBe('waiting');
    expect(partnerStateOf(dublin.state)).toBeNull();
  });

  it('counts the sessions it opened because one failed', () => {
    const { sim, dublin } = pair();
    sim.until(() => both(sim, 'live'));
    sim.frames = false;
    sim.until(() => dublin.state.sessionRepairs === 1, 10_000);
    sim.frames = true;
    sim.until(() => both(sim, 'live'));
    expect(partnerStateOf(dublin.state)).toEqual({ site: 'oslo', state: 'live' });
  });
});
