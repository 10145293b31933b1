import { describe, expect, it } from 'vitest';
import {
  LINK_TIMING,
  initialLinkState,
  portalStateOf,
  roleFor,
  transition,
  type LinkEvent,
  type LinkState,
} from '../../../../app/link/link-machine.js';
import { LinkSim } from '../../../support/link-sim.js';

const run = (events: LinkEvent[], state: LinkState = initialLinkState('dublin')) =>
  events.reduce<{ state: LinkState; effects: unknown[] }>(
    (acc, event) => {
      const next = transition(acc.state, event);
      return { state: next.state, effects: [...acc.effects, ...next.effects] };
    },
    { state, effects: [] },
  );

const live = (sim: LinkSim) => sim.sites.length === 2 && sim.sites.every((site) => site.portalState === 'live');

function pairedSim() {
  const sim = new LinkSim();
  const dublin = sim.addSite('dublin');
  const oslo = sim.addSite('oslo');
  dublin.start();
  oslo.start();
  sim.until(() => live(sim));
  return { sim, dublin, oslo };
}

describe('the link machine, one site', () => {
  it('starts by connecting to signaling, then joins once the socket is open', () => {
    const started = transition(initialLinkState('dublin'), { type: 'start', nonce: 'n', seed: 1 });
    expect(portalStateOf(initialLinkState('dublin'))).toBe('starting');
    expect(started.effects).toEqual([{ type: 'connect-signaling' }]);
    expect(portalStateOf(started.state)).toBe('connecting');
    expect(transition(started.state, { type: 'signaling-open' }).effects).toEqual([{ type: 'send-join' }]);
  });

  it('goes live on pictures that come before the data channel, and gives the channel time to open', () => {
    const negotiating = run([
      { type: 'start', nonce: 'n', seed: 1 },
      { type: 'signaling-open' },
      { type: 'signaling-joined', peers: ['oslo'] },
    ]).state;
    const framesFirst = transition(negotiating, { type: 'remote-frames', session: 'n.1' });
    expect(portalStateOf(framesFirst.state)).toBe('live');
    expect(framesFirst.effects).toEqual(
      expect.arrayContaining([
        { type: 'cancel', timer: 'negotiation-timeout' },
        { type: 'schedule', timer: 'heartbeat-watchdog', ms: LINK_TIMING.dataChannelGraceMs },
        { type: 'schedule', timer: 'media-watchdog', ms: LINK_TIMING.mediaStallMs },
      ]),
    );
    // The channel opens: heartbeats are watched on the usual clock, and the session stays live.
    const opened = transition(framesFirst.state, { type: 'peer-connected', session: 'n.1' });
    expect(portalStateOf(opened.state)).toBe('live');
    expect(opened.effects).toEqual([
      { type: 'schedule', timer: 'heartbeat-watchdog', ms: LINK_TIMING.heartbeatTimeoutMs },
    ]);
    // Earlier failures are forgiven only once the channel is up too.
    const afterFailures = { ...negotiating, sessionFailures: 2 };
    const pictures = transition(afterFailures, { type: 'remote-frames', session: 'n.1' }).state;
    expect(pictures.sessionFailures).toBe(2);
    expect(transition(pictures, { type: 'peer-connected', session: 'n.1' }).state.sessionFailures).toBe(0);
    // A channel that never opens: the heartbeat watchdog ends the session.
    const never = transition(framesFirst.state, { type: 'timer', timer: 'heartbeat-watchdog' });
    expect(never.state.session).toBeNull();
    expect(never.effects).toContainEqual({ type: 'close-session', id: 'n.1', reason: 'no heartbeat' });
  });

  it('waits for the partner when alone in the room', () => {
    const { state } = run([
      { type: 'start', nonce: 'n', seed: 1 },
      { type: 'signaling-open' },
      { type: 'signaling-joined', peers: [] },
    ]);
    expect(portalStateOf(state)).toBe('waiting');
  });

  it('gives the lower site name the offer, so two sites never both offer', () => {
    expect(roleFor('dublin', 'oslo')).toBe('offerer');
    expect(roleFor('oslo', 'dublin')).toBe('answerer');
    const offerer = run([
      { type: 'start', nonce: 'n', seed: 1 },
      { type: 'signaling-open' },
      { type: 'signaling-joined', peers: ['oslo'] },
    ]);
    expect(offerer.effects).toContainEqual({ type: 'open-session', id: 'n.1', role: 'offerer' });
    expect(portalStateOf(offerer.state)).toBe('negotiating');
    const answerer = run(
      [
        { type: 'start', nonce: 'm', seed: 1 },
        { type: 'signaling-open' },
        { type: 'signaling-joined', peers: ['dublin'] },
      ],
      initialLinkState('oslo'),
    );
    expect(answerer.effects.filter((e) => (e as { type: string }).type === 'open-session')).toEqual([]);
    expect(answerer.effects).toContainEqual({ type: 'send-signal', envelope: { s: null, sync: true } });
  });

  it('shows the refusal and retries slowly after unauthorized or room-full', () => {
    for (const [code, name] of [
      [4401, 'unauthorized'],
      [4409, 'room-full'],
    ] as const) {
      const { state, effects } = run([
        { type: 'start', nonce: 'n', seed: 1 },
        { type: 'signaling-closed', code },
      ]);
      expect(portalStateOf(state)).toBe('error');
      expect(state.refused).toEqual({ code: name, retrying: true });
      expect(effects).toContainEqual({ type: 'schedule', timer: 'signaling-retry', ms: LINK_TIMING.refusedRetryMs });
      const rejoined = run(
        [
          { type: 'timer', timer: 'signaling-retry' },
          { type: 'signaling-open' },
          { type: 'signaling-joined', peers: [] },
        ],
        state,
      );
      expect(portalStateOf(rejoined.state)).toBe('waiting');
    }
  });

  it('stops, without retrying, when another page of the same site replaced it', () => {
    const { state, effects } = run([
      { type: 'start', nonce: 'n', seed: 1 },
      { type: 'signaling-closed', code: 4001 },
    ]);
    expect(state.refused).toEqual({ code: 'replaced', retrying: false });
    expect(effects).not.toContainEqual(expect.objectContaining({ type: 'schedule' }));
    expect(run([{ type: 'timer', timer: 'signaling-retry' }], state).effects).toEqual([]);
  });

  it('retries signaling with a growing, capped backoff', () => {
    let state = run([{ type: 'start', nonce: 'n', seed: 42 }]).state;
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      const closed = transition(state, { type: 'signaling-closed', code: 1006 });
      const schedule = closed.effects.find((e) => e.type === 'schedule');
      delays.push(schedule && 'ms' in schedule ? schedule.ms : NaN);
      state = transition(closed.state, { type: 'timer', timer: 'signaling-retry' }).state;
    }
    expect(delays[0]).toBeLessThan(500);
    expect(delays[2]!).toBeGreaterThan(delays[0]!);
    expect(Math.max(...delays)).toBeLessThanOrEqual(5_000);
    expect(delays.slice(-3).every((ms) => ms >= 3_000)).toBe(true);
  });

  it('drops signals of retired sessions and non-offers of unknown ones', () => {
    let { state } = run(
      [
        { type: 'start', nonce: 'm', seed: 1 },
        { type: 'signaling-open' },
        { type: 'signaling-joined', peers: ['dublin'] },
        { type: 'signal', from: 'dublin', envelope: { s: 'x.1', d: { type: 'offer', sdp: '' } } },
      ],
      initialLinkState('oslo'),
    );
    expect(state.session?.id).toBe('x.1');
    state = run([{ type: 'peer-closed', session: 'x.1', reason: 'test' }], state).state;
    const late = run(
      [{ type: 'signal', from: 'dublin', envelope: { s: 'x.1', d: { type: 'offer', sdp: '' } } }],
      state,
    );
    expect(late.state.session).toBeNull();
    expect(late.effects).toEqual([]);
    const stray = run([{ type: 'signal', from: 'dublin', envelope: { s: 'x.9', d: { candidate: 'c' } } }], state);
    expect(stray.effects).toEqual([]);
    const stranger = run([{ type: 'signal', from: 'lima', envelope: { s: 'y.1', d: { type: 'offer' } } }], state);
    expect(stranger.effects).toEqual([]);
  });

  it('ignores events of sessions it no longer holds', () => {
    const { state } = run([
      { type: 'start', nonce: 'n', seed: 1 },
      { type: 'signaling-open' },
      { type: 'signaling-joined', peers: ['oslo'] },
    ]);
    for (const event of [
      { type: 'peer-closed', session: 'old', reason: 'x' },
      { type: 'ice-state', session: 'old', state: 'failed' },
      { type: 'remote-frames', session: 'old' },
    ] as const) {
      expect(transition(state, event).effects).toEqual([]);
    }
  });
});

describe('two sites on a fake clock', () => {
  it('go live both ways, with exactly one offer', () => {
    const { sim, dublin, oslo } = pairedSim();
    expect(sim.now).toBeLessThan(1_000);
    const opened = [...dublin.effects, ...oslo.effects].filter((e) => e.type === 'open-session');
    expect(opened).toEqual([
      { type: 'open-session', id: 'dublin-n1.1', role: 'offerer' },
      { type: 'open-session', id: 'dublin-n1.1', role: 'answerer' },
    ]);
  });

  it.each(['dublin', 'oslo'] as const)('start a fresh session at once when %s asks to reconnect', (who) => {
    const sites = pairedSim();
    const { sim, dublin, oslo } = sites;
    const before = dublin.state.session?.id;
    sites[who].dispatch({ type: 'reconnect', reason: 'settings changed' });
    expect(sites[who].portalState).not.toBe('live');
    const took = sim.until(() => live(sim) && dublin.state.session?.id !== before);
    expect(took).toBeLessThan(1_000);
    expect(oslo.state.session?.id).toBe(dublin.state.session?.id);
    expect(dublin.state.session?.id).not.toBe(before);
  });

  it('stay live for a minute of steady frames', () => {
    const { sim, dublin, oslo } = pairedSim();
    for (let second = 0; second < 60; second++) {
      sim.advance(1_000);
      expect([dublin.portalState, oslo.portalState]).toEqual(['live', 'live']);
    }
    expect(dublin.state.session?.id).toBe('dublin-n1.1');
  });

  it('leave live when the partner page closes, and return when it is reopened (answerer)', () => {
    const { sim, dublin, oslo } = pairedSim();
    sim.kill(oslo);
    sim.until(() => dublin.portalState !== 'live', 1_000);
    expect(dublin.portalState).toBe('waiting');
    const reopened = sim.addSite('oslo', 'oslo-n2');
    reopened.start();
    const took = sim.until(() => live(sim));
    expect(took).toBeLessThan(2_000);
  });

  it('return to live when the offering partner reloads', () => {
    const { sim, dublin, oslo } = pairedSim();
    sim.kill(dublin);
    sim.until(() => oslo.portalState !== 'live', 1_000);
    const reopened = sim.addSite('dublin', 'dublin-n2');
    reopened.start();
    expect(sim.until(() => live(sim))).toBeLessThan(2_000);
    expect(oslo.state.session?.id).toBe('dublin-n2.1');
  });

  it('keep a healthy session through a signaling outage, and rejoin without renegotiating', () => {
    const { sim, dublin, oslo } = pairedSim();
    const session = dublin.state.session?.id;
    sim.serverUp = false;
    sim.dropSignaling();
    for (let second = 0; second < 20; second++) {
      sim.advance(1_000);
      expect([dublin.portalState, oslo.portalState]).toEqual(['live', 'live']);
    }
    sim.serverUp = true;
    sim.until(() => dublin.state.signaling === 'joined' && oslo.state.signaling === 'joined', 10_000);
    sim.advance(2_000);
    expect([dublin.state.session?.id, oslo.state.session?.id]).toEqual([session, session]);
    expect([...dublin.effects, ...oslo.effects].filter((e) => e.type === 'close-session')).toEqual([]);
  });

  it('start a new session when frames stop while connected, and come back when media does', () => {
    const { sim, dublin, oslo } = pairedSim();
    sim.mediaPath = false;
    const left = sim.until(() => dublin.portalState !== 'live', 10_000);
    expect(left).toBeLessThanOrEqual(LINK_TIMING.mediaStallMs + 10);
    expect(dublin.portalState).toBe('reconnecting');
    sim.advance(5_000);
    sim.mediaPath = true;
    sim.until(() => live(sim), 30_000);
    expect(oslo.state.session?.id).not.toBe('dublin-n1.1');
  });

  it('start a new session when frames stop though the connection and heartbeats carry on', () => {
    const { sim, dublin } = pairedSim();
    sim.frames = false;
    expect(sim.until(() => dublin.portalState !== 'live', 10_000)).toBeLessThanOrEqual(LINK_TIMING.mediaStallMs + 10);
    sim.frames = true;
    sim.until(() => live(sim), 10_000);
  });

  it('start a new session when heartbeats stop though frames still arrive', () => {
    const { sim, dublin } = pairedSim();
    const id = dublin.state.session!.id;
    sim.heartbeats = false;
    sim.until(() => dublin.state.session?.id !== id, 10_000);
    expect(dublin.effects).toContainEqual({ type: 'close-session', id, reason: 'no heartbeat' });
    sim.heartbeats = true;
    sim.until(() => live(sim), 10_000);
  });

  it('ride out a brief ICE disconnect, but restart after the grace period', () => {
    const { sim, dublin } = pairedSim();
    const id = dublin.state.session!.id;
    dublin.dispatch({ type: 'ice-state', session: id, state: 'disconnected' });
    sim.advance(LINK_TIMING.iceGraceMs - 500);
    dublin.dispatch({ type: 'ice-state', session: id, state: 'connected' });
    sim.advance(5_000);
    expect(dublin.state.session?.id).toBe(id);
    dublin.dispatch({ type: 'ice-state', session: id, state: 'disconnected' });
    sim.advance(LINK_TIMING.iceGraceMs + 10);
    expect(dublin.state.session?.id).not.toBe(id);
    sim.until(() => live(sim), 5_000);
  });

  it('restart at once on ICE failed, and back off harder on each failure in a row', () => {
    const { sim, dublin } = pairedSim();
    const retryDelays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const id = dublin.state.session!.id;
      const before = dublin.effects.length;
      dublin.dispatch({ type: 'ice-state', session: id, state: 'failed' });
      const scheduled = dublin.effects.slice(before).find((e) => e.type === 'schedule' && e.timer === 'session-retry');
      retryDelays.push(scheduled && 'ms' in scheduled ? scheduled.ms : NaN);
      sim.until(() => dublin.state.session !== null && dublin.state.session.id !== id, 10_000);
    }
    expect(retryDelays[3]!).toBeGreaterThan(retryDelays[0]!);
    sim.until(() => live(sim), 10_000);
    expect(dublin.state.sessionFailures).toBe(0);
  });
});
