// The one supervisor of the kiosk's programs, with fake children: a program the OS refuses to
// start, one that dies at once again and again, and one that hangs; and what the Chromium shell
// and the Electron launcher make of each.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../../app/log/logger.js';
import { ChromiumKiosk } from '../../../../main/chromium/chromium-kiosk.js';
import { DISABLE_GPU_SWITCH } from '../../../../main/electron/gpu-policy.js';
import { ElectronLauncher } from '../../../../main/cli/electron-launcher.js';
import { ChildSupervisor, type ChildEnd } from '../../../../main/supervisor/child-supervisor.js';
import { DisplayWatchdog } from '../../../../main/watchdog/display-watchdog.js';
import { FakeChild } from '../../../support/fake-child.js';

// Timers and the clock are the test's; setImmediate stays real, so file reads can finish.
beforeEach(
  () => void vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] }),
);
/** Back to real timers after each test. */
afterEach(() => void vi.useRealTimers());

/** A spawn that hands out fake children; `behave` decides what each one does when started. */
function fakeSpawn(behave: (child: FakeChild, n: number) => void) {
  const children: FakeChild[] = [];
  const startedAt: number[] = [];
  const spawn = (_command: string, args: readonly string[]) => {
    const child = new FakeChild(args);
    children.push(child);
    startedAt.push(Date.now());
    queueMicrotask(() => behave(child, children.length));
    return child.asChild();
  };
  return { spawn, children, startedAt };
}

describe('the child supervisor', () => {
  it('sees a refused start once, as an error, and never as a start', async () => {
    const { spawn, children } = fakeSpawn((child) => child.refuse('ENOENT'));
    const ends: ChildEnd[] = [];
    const started = vi.fn();
    const supervisor = new ChildSupervisor({
      spawn: () => spawn('browser', []),
      ended: (end) => {
        ends.push(end);
        return null;
      },
      started,
      logger: silentLogger,
    });
    supervisor.start();
    await vi.advanceTimersByTimeAsync(10);
    expect(children).toHaveLength(1);
    expect(ends).toEqual([{ code: null, signal: null, error: expect.objectContaining({ code: 'ENOENT' }) }]);
    expect(started).not.toHaveBeenCalled();
    expect(supervisor.current).toBeNull();
  });

  it('hears once of a child that ran and ended, though node reports both exit and close', async () => {
    const { spawn } = fakeSpawn((child) => child.run().exit(3));
    const ended = vi.fn((_end: ChildEnd) => null);
    const started = vi.fn();
    const supervisor = new ChildSupervisor({ spawn: () => spawn('app', []), ended, started, logger: silentLogger });
    supervisor.start();
    await vi.advanceTimersByTimeAsync(10);
    expect(started).toHaveBeenCalledTimes(1);
    expect(ended.mock.calls).toEqual([[{ code: 3, signal: null, error: null }]]);
  });

  it('starts the next child only once the one it replaced is gone, however often it is asked', async () => {
    const { spawn, children } = fakeSpawn((child) => {
      child.run();
      // Even SIGKILL takes its time here: the test says when the child is gone.
      child.kill = (signal: NodeJS.Signals = 'SIGTERM') => (child.signals.push(signal), true);
    });
    const ended = vi.fn(() => ({ restartInMs: 0 }));
    const supervisor = new ChildSupervisor({ spawn: () => spawn('browser', []), ended, logger: silentLogger });
    supervisor.start();
    await vi.advanceTimersByTimeAsync(10);
    supervisor.replace();
    supervisor.start();
    supervisor.startIn(5);
    await vi.advanceTimersByTimeAsync(100);
    expect(children).toHaveLength(1);
    expect(children[0]!.signals).toEqual(['SIGKILL']);
    children[0]!.exit(null, 'SIGKILL');
    await vi.advanceTimersByTimeAsync(10);
    expect(children).toHaveLength(2);
    // The replaced child's end was the supervisor's doing, not news for the owner's policy.
    expect(ended).not.toHaveBeenCalled();
    children[1]!.exit(null, 'SIGTERM');
    await supervisor.stop(100);
  });

  it('starts nothing more once stopped, even with a restart pending', async () => {
    const { spawn, children } = fakeSpawn((child) => child.run().exit(1));
    const supervisor = new ChildSupervisor({
      spawn: () => spawn('app', []),
      ended: () => ({ restartInMs: 1_000 }),
      logger: silentLogger,
    });
    supervisor.start();
    await vi.advanceTimersByTimeAsync(10);
    await supervisor.stop(100);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(children).toHaveLength(1);
  });
});

describe('the Chromium shell under its supervisor', () => {
  const kiosk = (spawn: ReturnType<typeof fakeSpawn>['spawn'], watchdog: DisplayWatchdog) =>
    new ChromiumKiosk({
      browser: '/usr/bin/chromium',
      url: 'http://127.0.0.1:1/#bridge=x',
      profileDir: mkdtempSync(join(tmpdir(), 'portal-kiosk-test-')),
      extraFlags: [],
      logger: silentLogger,
      watchdog,
      runningAsRoot: false,
      spawn,
    });

  it('keeps trying a browser the OS refuses to start, and counts no restart that did not happen', async () => {
    const { spawn, children } = fakeSpawn((child) => child.refuse('EACCES'));
    const watchdog = new DisplayWatchdog(() => Date.now(), {
      heartbeatTimeoutMs: 60_000,
      maxRestarts: 3,
      windowMs: 60_000,
      coolDownMs: 10_000,
    });
    const shown = kiosk(spawn, watchdog);
    shown.start();
    await vi.advanceTimersByTimeAsync(2_000);
    // Tried again after each refusal, until the watchdog's cap makes it cool down.
    expect(children.length).toBe(4);
    await vi.advanceTimersByTimeAsync(11_000);
    expect(children.length).toBeGreaterThan(4);
    expect(watchdog.status.restarts).toBe(0);
    await shown.stop();
  });

  it('restarts a browser that exits, counting the restart once the new one runs', async () => {
    const { spawn, children } = fakeSpawn((child, n) => (n === 1 ? child.run().exit(1) : child.run()));
    const watchdog = new DisplayWatchdog(() => Date.now());
    const shown = kiosk(spawn, watchdog);
    shown.start();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(children).toHaveLength(2);
    expect(watchdog.status.restarts).toBe(1);
    await shown.stop();
    expect(children[1]!.signals).toEqual(['SIGTERM']);
  });

  it('starts no browser when stopped while a restart is pending', async () => {
    const { spawn, children } = fakeSpawn((child) => child.run().exit(1));
    const shown = kiosk(spawn, new DisplayWatchdog(() => Date.now()));
    shown.start();
    // The first browser is gone; its restart is due 250 ms later.
    await vi.advanceTimersByTimeAsync(10);
    await shown.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(children).toHaveLength(1);
  });

  it('kills a hung browser that a reload cannot reach, and starts a fresh one', async () => {
    const { spawn, children } = fakeSpawn((child) => {
      child.onKill = 'ignore';
      child.run();
    });
    const watchdog = new DisplayWatchdog(() => Date.now(), {
      heartbeatTimeoutMs: 2_000,
      maxRestarts: 5,
      windowMs: 60_000,
      coolDownMs: 10_000,
    });
    const shown = kiosk(spawn, watchdog);
    shown.start();
    // No heartbeat for 2 s: a reload is tried (these children have no DevTools pipe to reach
    // the tab by), then a restart. Waited for in real time, moving the fake clock 10 ms a check
    // (vi.waitFor does both), instead of a fixed count of turns.
    await vi.advanceTimersByTimeAsync(2_000);
    await vi.waitFor(() => expect(children).toHaveLength(2), { timeout: 10_000, interval: 10 });
    expect(children[0]!.signals).toEqual(['SIGKILL']);
    expect(children).toHaveLength(2);
    expect(watchdog.status.restarts).toBe(1);
    children[1]!.onKill = 'exit';
    await shown.stop();
  });
});

describe('the Electron launcher under its supervisor', () => {
  const launcher = (spawn: ReturnType<typeof fakeSpawn>['spawn']) =>
    new ElectronLauncher({
      binary: '/opt/electron',
      args: ['/app'],
      runningAsRoot: false,
      logger: silentLogger,
      backoff: { minMs: 1_000, maxMs: 4_000 },
      spawn: (command, args) => spawn(command, args),
    });

  it('waits longer after each crash, up to its cap', async () => {
    const { spawn, startedAt } = fakeSpawn((child) => child.run().exit(1));
    const app = launcher(spawn);
    app.start();
    await vi.advanceTimersByTimeAsync(16_000);
    const gaps = startedAt.slice(1).map((at, i) => at - startedAt[i]!);
    expect(gaps.slice(0, 4)).toEqual([1_000, 2_000, 4_000, 4_000]);
    await app.stop();
  });

  it('starts nothing more when stopped while waiting out a crash', async () => {
    const { spawn, children } = fakeSpawn((child) => child.run().exit(1));
    const app = launcher(spawn);
    app.start();
    await vi.advanceTimersByTimeAsync(500);
    await app.stop();
    await expect(app.done).resolves.toBeUndefined();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(children).toHaveLength(1);
  });

  it('tries again after a refused start instead of hanging', async () => {
    const { spawn, children } = fakeSpawn((child, n) => (n === 1 ? child.refuse('ENOENT') : child.run()));
    const app = launcher(spawn);
    app.start();
    await vi.advanceTimersByTimeAsync(1_500);
    expect(children).toHaveLength(2);
    expect(children[1]!.pid).toBeDefined();
    await app.stop();
    await expect(app.done).resolves.toBeUndefined();
  });

  it('relaunches without the GPU when asked, and ends when the app quits', async () => {
    const { spawn, children } = fakeSpawn((child, n) => (n === 1 ? child.run().exit(75) : child.run().exit(0)));
    const app = launcher(spawn);
    app.start();
    await vi.advanceTimersByTimeAsync(100);
    await expect(app.done).resolves.toBeUndefined();
    expect(children.map((c) => c.args.includes(DISABLE_GPU_SWITCH))).toEqual([false, true]);
  });
});
