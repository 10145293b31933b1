import { describe, expect, it } from 'vitest';
import {
  LINK_TIMING,
  NO_ANSWER_CLOSE_CODE,
  initialLinkState,
  portalStateOf,
  roleFor,
  transition,
  type LinkEvent,
  type LinkState,
} from '../../../../app/link/link-machine.js';
import { FRAME_REPORT_MS, ICE_FAILED_AFTER_MS, LinkSim } from '../../../support/link-sim.js';

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
    expect(offerer.effects).toContainEqual({ type: 'open-session', id: 'n.1', role: 'offerer', relay: false });
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

  it('steps aside when another page of the same site replaced it, and takes the place back 5 minutes later', () => {
    const { state, effects } = run([
      { type: 'start', nonce: 'n', seed: 1 },
      { type: 'signaling-closed', code: 4001 },
    ]);
    expect(state.refused).toEqual({ code: 'replaced', retrying: true });
    expect(portalStateOf(state)).toBe('error');
    expect(effects).toContainEqual({ type: 'schedule', timer: 'signaling-retry', ms: 5 * 60_000 });
    expect(run([{ type: 'timer', timer: 'signaling-retry' }], state).effects).toContainEqual({
      type: 'connect-signaling',
    });
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

  it('retries soon and as often when the server stopped answering (a cut), without growing', () => {
    let state = run([{ type: 'start', nonce: 'n', seed: 42 }]).state;
    const delays: number[] = [];
    for (let i = 0; i < 20; i++) {
      const closed = transition(state, { type: 'signaling-closed', code: NO_ANSWER_CLOSE_CODE });
      expect(portalStateOf(closed.state)).toBe('connecting');
      const schedule = closed.effects.find((e) => e.type === 'schedule');
      delays.push(schedule && 'ms' in schedule ? schedule.ms : NaN);
      state = transition(closed.state, { type: 'timer', timer: 'signaling-retry' }).state;
    }
    expect(Math.max(...delays)).toBeLessThan(500);
    expect(state.signalingFailures).toBe(0);
    // A server that refuses at once afterwards gets the growing backoff, from its start.
    const refusedDelays: number[] = [];
    for (let i = 0; i < 3; i++) {
      const refused = transition(state, { type: 'signaling-closed', code: 1006 });
      const schedule = refused.effects.find((e) => e.type === 'schedule');
      refusedDelays.push(schedule && 'ms' in schedule ? schedule.ms : NaN);
      state = transition(refused.state, { type: 'timer', timer: 'signaling-retry' }).state;
    }
    expect(state.signalingFailures).toBe(3);
    expect(refusedDelays[0]!).toBeLessThan(500);
    expect(refusedDelays[2]!).toBeGreaterThanOrEqual(750);
  });

  it('gives up a session whose ICE connected but that carries nothing, long before the negotiation timeout', () => {
    const negotiating = run([
      { type: 'start', nonce: 'n', seed: 1 },
      { type: 'signaling-open' },
      { type: 'signaling-joined', peers: ['oslo'] },
    ]).state;
    const iceUp = transition(negotiating, { type: 'ice-state', session: 'n.1', state: 'connected' });
    expect(iceUp.effects).toContainEqual({
      type: 'schedule',
      timer: 'negotiation-timeout',
      ms: LINK_TIMING.carryAfterIceMs,
    });
    expect(LINK_TIMING.carryAfterIceMs).toBeLessThan(LINK_TIMING.negotiationTimeoutMs);
    const gaveUp = transition(iceUp.state, { type: 'timer', timer: 'negotiation-timeout' });
    expect(gaveUp.effects).toContainEqual({ type: 'close-session', id: 'n.1', reason: 'negotiation timed out' });
    expect(gaveUp.state.directFailures).toBe(1);
  });

  it('gives a session whose DTLS came up the data channel grace, for a thin link', () => {
    const negotiating = run([
      { type: 'start', nonce: 'n', seed: 1 },
      { type: 'signaling-open' },
      { type: 'signaling-joined', peers: ['oslo'] },
      { type: 'ice-state', session: 'n.1', state: 'connected' },
    ]).state;
    expect(transition(negotiating, { type: 'transport-up', session: 'n.1' }).effects).toEqual([
      { type: 'schedule', timer: 'negotiation-timeout', ms: LINK_TIMING.dataChannelGraceMs },
    ]);
  });

  it('asks for the ICE restart again once signaling is back, if the first went into a dead socket', () => {
    const { sim, dublin } = pairedSim();
    const id = dublin.state.session!.id;
    sim.frames = false;
    sim.heartbeats = false;
    dublin.dispatch({ type: 'ice-state', session: id, state: 'disconnected' });
    sim.advance(LINK_TIMING.iceRestartMs + 10);
    expect(dublin.effects.filter((e) => e.type === 'restart-ice')).toHaveLength(1);
    // The socket was dead already: it closes, and the site joins again on a new one.
    sim.disconnect(dublin, NO_ANSWER_CLOSE_CODE);
    sim.until(() => dublin.state.signaling === 'joined', 5_000);
    sim.advance(LINK_TIMING.iceRestartMs);
    expect(dublin.effects.filter((e) => e.type === 'restart-ice')).toHaveLength(2);
    expect(dublin.state.session?.id).toBe(id);
  });

  it('says reconnecting, not waiting, when a partner mid-call is lost rather than leaving', () => {
    const live = run([
      { type: 'start', nonce: 'n', seed: 1 },
      { type: 'signaling-open' },
      { type: 'signaling-joined', peers: ['oslo'] },
      { type: 'peer-connected', session: 'n.1' },
      { type: 'remote-frames', session: 'n.1' },
    ]).state;
    expect(portalStateOf(live)).toBe('live');
    const closed = transition(live, { type: 'peer-closed', session: 'n.1', reason: 'peer error' }).state;
    expect(portalStateOf(transition(closed, { type: 'partner-left', site: 'oslo', lost: true }).state)).toBe(
      'reconnecting',
    );
    expect(portalStateOf(transition(closed, { type: 'partner-left', site: 'oslo' }).state)).toBe('waiting');
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
      { type: 'open-session', id: 'dublin-n1.1', role: 'offerer', relay: false },
      { type: 'open-session', id: 'dublin-n1.1', role: 'answerer', relay: false },
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

  it('say so within 2 s when the picture stops in a cut, and come back on the same session', () => {
    const { sim, dublin, oslo } = pairedSim();
    sim.mediaPath = false;
    // The last frames were reported up to one report interval before the path went.
    const left = sim.until(() => dublin.portalState !== 'live' && oslo.portalState !== 'live', 10_000);
    expect(left).toBeLessThanOrEqual(LINK_TIMING.frameStallMs + FRAME_REPORT_MS);
    expect([dublin.portalState, oslo.portalState]).toEqual(['reconnecting', 'reconnecting']);
    // A cut of 8 s: ICE says disconnected meanwhile, then comes back; nobody opened a new session.
    sim.advance(8_000 - left);
    expect(dublin.state.session?.link).toBe('down');
    sim.mediaPath = true;
    expect(sim.until(() => live(sim), 5_000)).toBeLessThanOrEqual(FRAME_REPORT_MS + 10);
    expect([dublin.state.session?.id, oslo.state.session?.id]).toEqual(['dublin-n1.1', 'dublin-n1.1']);
    expect([...dublin.effects, ...oslo.effects].filter((e) => e.type === 'close-session')).toEqual([]);
  });

  it('start a new session once ICE gives up in a long cut, and go live when the path returns', () => {
    const { sim, dublin, oslo } = pairedSim();
    sim.mediaPath = false;
    sim.until(() => dublin.state.session?.id !== 'dublin-n1.1', ICE_FAILED_AFTER_MS + 1_000);
    expect(dublin.effects).toContainEqual({
      type: 'close-session',
      id: 'dublin-n1.1',
      reason: 'peer error ERR_CONNECTION_FAILURE',
    });
    sim.advance(30_000);
    expect([dublin.portalState, oslo.portalState]).toEqual(['reconnecting', 'reconnecting']);
    sim.mediaPath = true;
    sim.until(() => live(sim), 30_000);
    expect(oslo.state.session?.id).toBe(dublin.state.session?.id);
  });

  it('start a new session when frames stop though the connection and heartbeats carry on', () => {
    const { sim, dublin } = pairedSim();
    sim.frames = false;
    expect(sim.until(() => dublin.portalState !== 'live', 10_000)).toBeLessThanOrEqual(
      LINK_TIMING.frameStallMs + FRAME_REPORT_MS,
    );
    sim.until(() => dublin.state.session?.id !== 'dublin-n1.1', LINK_TIMING.mediaStallMs + 1_000);
    expect(dublin.effects).toContainEqual({ type: 'close-session', id: 'dublin-n1.1', reason: 'no remote frames' });
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

  it('count the link as back on the first packets, before ICE or the data channel say so', () => {
    const { sim, dublin } = pairedSim();
    const id = dublin.state.session!.id;
    sim.frames = false;
    sim.heartbeats = false;
    sim.until(() => dublin.state.session?.link === 'down', 10_000);
    dublin.dispatch({ type: 'peer-packets', session: id });
    expect(dublin.state.session?.link).toBe('up');
    // Up again, the watchdogs run again: nothing more for their time, and it is down again,
    // on the same session (ICE decides).
    sim.until(() => dublin.state.session?.link === 'down', LINK_TIMING.heartbeatTimeoutMs + 10);
    expect(dublin.state.session?.id).toBe(id);
  });

  it('give a disconnected ICE that never says failed its grace, then start over', () => {
    const { sim, dublin } = pairedSim();
    const id = dublin.state.session!.id;
    // Heartbeats and pictures stop, but this browser never says `failed`: the grace is the backstop.
    sim.frames = false;
    sim.heartbeats = false;
    dublin.dispatch({ type: 'ice-state', session: id, state: 'disconnected' });
    sim.advance(LINK_TIMING.iceGraceMs - 100);
    expect(dublin.state.session?.id).toBe(id);
    sim.advance(200);
    expect(dublin.effects).toContainEqual({ type: 'close-session', id, reason: 'ICE stayed disconnected' });
    sim.frames = true;
    sim.heartbeats = true;
    sim.until(() => live(sim), 5_000);
  });

  it('restart ICE once (the offerer) when the link stays down while signaling reaches the partner', () => {
    const { sim, dublin, oslo } = pairedSim();
    const id = dublin.state.session!.id;
    // The media path is gone but signaling still works (a NAT that forgot its mapping, say).
    sim.frames = false;
    sim.heartbeats = false;
    for (const site of [dublin, oslo]) site.dispatch({ type: 'ice-state', session: id, state: 'disconnected' });
    sim.advance(LINK_TIMING.iceRestartMs - 10);
    expect(dublin.effects.filter((e) => e.type === 'restart-ice')).toEqual([]);
    sim.advance(LINK_TIMING.iceRestartMs * 3);
    expect(dublin.effects.filter((e) => e.type === 'restart-ice')).toEqual([{ type: 'restart-ice', session: id }]);
    expect(oslo.effects.filter((e) => e.type === 'restart-ice')).toEqual([]);
    // Back on the same session; a later outage may restart again.
    for (const site of [dublin, oslo]) site.dispatch({ type: 'ice-state', session: id, state: 'connected' });
    dublin.dispatch({ type: 'ice-state', session: id, state: 'disconnected' });
    sim.advance(LINK_TIMING.iceRestartMs + 10);
    expect(dublin.effects.filter((e) => e.type === 'restart-ice')).toHaveLength(2);
  });

  it('wait with an ICE restart until signaling reaches the partner again', () => {
    const { sim, dublin } = pairedSim();
    const id = dublin.state.session!.id;
    sim.frames = false;
    sim.heartbeats = false;
    sim.serverUp = false;
    sim.dropSignaling();
    dublin.dispatch({ type: 'ice-state', session: id, state: 'disconnected' });
    sim.advance(LINK_TIMING.iceRestartMs * 2);
    expect(dublin.effects.filter((e) => e.type === 'restart-ice')).toEqual([]);
    sim.serverUp = true;
    sim.until(() => dublin.effects.some((e) => e.type === 'restart-ice'), 10_000);
    expect(dublin.state.session?.id).toBe(id);
  });

  it('fall back to relay-only after sessions in a row fail on the direct path, and try direct later', () => {
    const { sim, dublin, oslo } = pairedSim();
    // The direct path connects but carries no pictures (a path that drops big packets, say).
    sim.frames = false;
    sim.kill(oslo);
    const again = sim.addSite('oslo', 'oslo-n2');
    again.start();
    sim.until(() => dublin.state.relayFallback && again.state.relayFallback, 60_000);
    // The first session worked; then as many on the direct path failed as it takes.
    const direct = dublin.effects.filter((e) => e.type === 'open-session' && !e.relay);
    expect(direct).toHaveLength(1 + LINK_TIMING.relayFallbackAfter);
    expect(dublin.state.directFailures).toBe(LINK_TIMING.relayFallbackAfter);
    sim.frames = true;
    sim.until(() => live(sim) && dublin.state.session?.relay === true, 30_000);
    expect(again.state.session?.relay).toBe(true);
    expect(dublin.effects.filter((e) => e.type === 'open-session').slice(-1)).toEqual([
      expect.objectContaining({ relay: true }),
    ]);
    // A working relay session is not cut to test the direct path; the next session tries it.
    sim.advance(LINK_TIMING.directRetryMs);
    expect(dublin.state.relayFallback).toBe(false);
    expect(dublin.state.session?.relay).toBe(true);
    dublin.dispatch({ type: 'reconnect', reason: 'test' });
    expect(dublin.effects.filter((e) => e.type === 'open-session').slice(-1)).toEqual([
      expect.objectContaining({ relay: false }),
    ]);
    sim.until(() => live(sim), 5_000);
  });

  it('open a session at once when the partner reappears, whatever failed before', () => {
    const { sim, dublin, oslo } = pairedSim();
    sim.mediaPath = false;
    sim.until(() => dublin.state.sessionFailures >= 2, 120_000);
    sim.mediaPath = true;
    sim.disconnect(oslo, 1006);
    sim.until(() => oslo.state.signaling === 'joined', 10_000);
    expect(dublin.state.sessionFailures).toBe(0);
    expect(sim.until(() => live(sim), 5_000)).toBeLessThan(1_000);
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
