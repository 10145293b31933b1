import { describe, expect, it } from 'vitest';
import { DisplayWatchdog, type WatchdogOptions } from '../../../../main/watchdog/display-watchdog.js';

const options: WatchdogOptions = { heartbeatTimeoutMs: 10_000, maxRestarts: 3, windowMs: 60_000, coolDownMs: 30_000 };

function clocked() {
  let now = 1_000_000;
  const dog = new DisplayWatchdog(() => now, options);
  dog.displayStarted();
  /** The shell carries out a restart and the display runs again. */
  const carried = <A extends { type: string }>(action: A): A => {
    if (action.type === 'restart-display') dog.displayStarted();
    return action;
  };
  return { dog, carried, advance: (ms: number) => (now += ms), now: () => now };
}

describe('the display watchdog', () => {
  it('does nothing while heartbeats arrive', () => {
    const { dog, advance } = clocked();
    for (let i = 0; i < 100; i++) {
      advance(5_000);
      dog.heartbeat('live');
      expect(dog.tick()).toEqual({ type: 'none' });
    }
    expect(dog.status).toEqual({ state: 'live', restarts: 0, reloads: 0, quietReloads: 0, heartbeatAgeSeconds: 0 });
  });

  it('reloads a renderer that stopped answering, then restarts the display if that did not help', () => {
    const { dog, carried, advance } = clocked();
    dog.heartbeat('live');
    advance(9_999);
    expect(dog.tick()).toEqual({ type: 'none' });
    advance(1);
    expect(dog.tick()).toMatchObject({ type: 'reload', reason: 'no heartbeat for 10 s' });
    advance(5_000);
    expect(dog.tick()).toEqual({ type: 'none' });
    advance(5_000);
    expect(carried(dog.tick())).toMatchObject({ type: 'restart-display', reason: 'no heartbeat after a reload' });
    expect(dog.status.restarts).toBe(1);
  });

  it('is content again once a reload brings the heartbeat back', () => {
    const { dog, advance } = clocked();
    advance(10_000);
    expect(dog.tick().type).toBe('reload');
    advance(2_000);
    dog.heartbeat('connecting');
    advance(9_000);
    expect(dog.tick()).toEqual({ type: 'none' });
    expect(dog.status.restarts).toBe(0);
  });

  it('reloads a page the shell saw hang, and restarts it if it hangs again before a heartbeat', () => {
    const { dog, carried, advance } = clocked();
    dog.heartbeat('live');
    expect(dog.hung('unresponsive')).toEqual({ type: 'reload', reason: 'unresponsive', quiet: false });
    advance(3_000);
    expect(carried(dog.hung('unresponsive'))).toEqual({
      type: 'restart-display',
      reason: 'unresponsive after a reload',
    });
    advance(1_000);
    dog.heartbeat('live');
    expect(dog.hung('unresponsive').type).toBe('reload');
    expect(dog.status.restarts).toBe(1);
  });

  it('restarts a display that died, counting each restart once the display runs again', () => {
    const { dog, carried } = clocked();
    expect(carried(dog.displayGone('exited with 1'))).toEqual({ type: 'restart-display', reason: 'exited with 1' });
    expect(carried(dog.displayGone('exited with 1')).type).toBe('restart-display');
    expect(dog.status.restarts).toBe(2);
    // A restart decided but never carried out (the OS refused to start the browser) is not one.
    expect(dog.displayGone('could not start').type).toBe('restart-display');
    expect(dog.status.restarts).toBe(2);
  });

  it('cools down after too many restarts in a row, then tries again', () => {
    const { dog, carried, advance, now } = clocked();
    for (let i = 0; i < 3; i++) {
      expect(carried(dog.displayGone('crash')).type).toBe('restart-display');
      advance(1_000);
    }
    const waiting = dog.displayGone('crash');
    expect(waiting).toMatchObject({ type: 'wait', untilMs: now() - 1_000 + 30_000 });
    advance(28_000);
    expect(dog.displayGone('crash').type).toBe('wait');
    advance(1_000);
    expect(carried(dog.displayGone('crash')).type).toBe('restart-display');
    expect(dog.status.restarts).toBe(4);
  });

  it('forgets restarts older than the window', () => {
    const { dog, advance } = clocked();
    for (let i = 0; i < 3; i++) dog.displayGone('crash');
    advance(61_000);
    expect(dog.displayGone('crash').type).toBe('restart-display');
  });

  it('reports the heartbeat age and state for /healthz', () => {
    const { dog, advance } = clocked();
    expect(dog.status).toEqual({ state: null, restarts: 0, reloads: 0, quietReloads: 0, heartbeatAgeSeconds: null });
    dog.heartbeat('waiting');
    advance(3_400);
    expect(dog.status).toEqual({ state: 'waiting', restarts: 0, reloads: 0, quietReloads: 0, heartbeatAgeSeconds: 3 });
  });

  it('counts the reloads the shell carried out, repairs apart from quiet ones', () => {
    const { dog, advance } = clocked();
    dog.heartbeat('live');
    advance(11_000);
    const repair = dog.tick();
    if (repair.type !== 'reload') throw new Error('a missed heartbeat is reloaded');
    expect(dog.status.reloads).toBe(0);
    dog.reloaded(repair);
    dog.reloaded({ type: 'reload', reason: 'quiet hour', quiet: true });
    expect(dog.status).toMatchObject({ reloads: 1, quietReloads: 1 });
  });

  it('gives a closed page its quiet reload through tick, once, and never a page that stopped answering', () => {
    const { dog, advance, now } = clocked();
    const opensAt = now() + 8 * 3_600_000;
    const closedTicks = (minutes: number) => {
      const actions = [];
      for (let s = 0; s < minutes * 60; s += 2) {
        advance(2_000);
        dog.heartbeat('closed', opensAt);
        actions.push(dog.tick());
      }
      return actions.filter((action) => action.type !== 'none');
    };
    expect(closedTicks(9)).toEqual([]);
    expect(closedTicks(2)).toEqual([{ type: 'reload', reason: expect.stringMatching(/^quiet hour/), quiet: true }]);
    expect(closedTicks(60)).toEqual([]);
    // Silent for the heartbeat timeout: the repair ladder answers, never a second quiet reload.
    advance(11_000);
    expect(dog.tick()).toMatchObject({ type: 'reload', quiet: false });
  });
});
