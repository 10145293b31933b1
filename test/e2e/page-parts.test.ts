// Whatever the page starts, it stops: a page whose parts are started and disposed a hundred
// times (the `portal:restart` event) has no more timers, sockets, peer connections, live tracks
// or listeners than after its first start. An instrument installed before the page's scripts
// counts what is live.

import { afterEach, describe, expect, it } from 'vitest';
import { servePortal, type RunningCli } from '../support/built-cli.js';
import { openSite, waitForState, type SiteBrowser } from '../support/chromium.js';

const servers: RunningCli[] = [];
const browsers: SiteBrowser[] = [];
afterEach(async () => {
  await Promise.all(browsers.splice(0).map((site) => site.close().catch(() => undefined)));
  for (const server of servers.splice(0)) if (server.child.exitCode === null) server.child.kill('SIGKILL');
});

interface Live {
  readonly intervals: number;
  readonly timeouts: number;
  readonly sockets: number;
  readonly peerConnections: number;
  readonly tracks: number;
  readonly listeners: number;
  readonly elements: number;
}

/** Counts, from before the page's own scripts run, what is live: read with window.__live(). */
function instrument(): void {
  const intervals = new Set<number>();
  const timeouts = new Set<number>();
  const sockets = new Set<WebSocket>();
  const pcs = new Set<RTCPeerConnection>();
  const tracks = new Set<MediaStreamTrack>();
  const listeners = new Map<EventTarget, Map<string, Set<unknown>>>();
  const w = window as unknown as Record<string, unknown>;
  const { setInterval: si, clearInterval: ci, setTimeout: st, clearTimeout: ct } = window;
  w['setInterval'] = (fn: TimerHandler, ms?: number, ...rest: unknown[]) => {
    const id = si(fn, ms, ...rest);
    intervals.add(id);
    return id;
  };
  w['clearInterval'] = (id?: number) => {
    if (id !== undefined) intervals.delete(id);
    ci(id);
  };
  w['setTimeout'] = (fn: TimerHandler, ms?: number, ...rest: unknown[]) => {
    const id: number = st(
      (...args: unknown[]) => {
        timeouts.delete(id);
        if (typeof fn === 'function') (fn as (...a: unknown[]) => void)(...args);
      },
      ms,
      ...rest,
    );
    timeouts.add(id);
    return id;
  };
  w['clearTimeout'] = (id?: number) => {
    if (id !== undefined) timeouts.delete(id);
    ct(id);
  };
  const Socket = window.WebSocket;
  w['WebSocket'] = class extends Socket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      sockets.add(this);
    }
  };
  const Peer = window.RTCPeerConnection;
  w['RTCPeerConnection'] = class extends Peer {
    constructor(config?: RTCConfiguration) {
      super(config);
      pcs.add(this);
    }
  };
  const keep = (stream: MediaStream): MediaStream => {
    for (const track of stream.getTracks()) tracks.add(track);
    return stream;
  };
  const capture = HTMLCanvasElement.prototype.captureStream;
  HTMLCanvasElement.prototype.captureStream = function (fps?: number) {
    return keep(capture.call(this, fps));
  };
  if (navigator.mediaDevices) {
    const gum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = async (constraints) => keep(await gum(constraints));
  }
  const watched = (target: EventTarget) =>
    target === window || target === document || target === navigator.mediaDevices;
  const add = EventTarget.prototype.addEventListener;
  const remove = EventTarget.prototype.removeEventListener;
  const key = (type: string, options?: boolean | EventListenerOptions) =>
    `${type}|${typeof options === 'boolean' ? options : (options?.capture ?? false)}`;
  EventTarget.prototype.addEventListener = function (type, listener, options) {
    if (watched(this) && listener !== null) {
      const byType = listeners.get(this) ?? new Map<string, Set<unknown>>();
      listeners.set(this, byType);
      const set = byType.get(key(type, options)) ?? new Set();
      byType.set(key(type, options), set);
      set.add(listener);
    }
    return add.call(this, type, listener, options);
  };
  EventTarget.prototype.removeEventListener = function (type, listener, options) {
    listeners.get(this)?.get(key(type, options))?.delete(listener);
    return remove.call(this, type, listener, options);
  };
  w['__live'] = () => ({
    intervals: intervals.size,
    timeouts: timeouts.size,
    sockets: [...sockets].filter((s) => s.readyState === WebSocket.CONNECTING || s.readyState === WebSocket.OPEN)
      .length,
    peerConnections: [...pcs].filter((pc) => pc.signalingState !== 'closed').length,
    tracks: [...tracks].filter((t) => t.readyState === 'live').length,
    listeners: [...listeners.values()].flatMap((byType) => [...byType.values()]).reduce((n, set) => n + set.size, 0),
    elements: document.body.querySelectorAll('*').length,
  });
}

const live = (site: SiteBrowser) => site.page.evaluate(() => (window as unknown as { __live(): Live }).__live());

async function restart(site: SiteBrowser, state: string): Promise<void> {
  await site.page.evaluate(() => {
    document.documentElement.dataset['portalState'] = 'restarting';
    window.dispatchEvent(new Event('portal:restart'));
  });
  await waitForState(site, state);
}

async function serve(): Promise<string> {
  return (await servePortal(servers)).url;
}

async function site(url: string): Promise<SiteBrowser> {
  const browser = await openSite(url, async (context) => {
    await context.addInitScript(instrument);
  });
  browsers.push(browser);
  return browser;
}

describe("the page's parts", () => {
  it('leave nothing running after a hundred starts and stops', async () => {
    const base = await serve();
    const dublin = await site(`${base}/?room=lobby&site=dublin&key=e2e-key`);
    await waitForState(dublin, 'waiting');
    const first = await live(dublin);
    expect(first.sockets).toBe(1);
    expect(first.tracks).toBeGreaterThanOrEqual(1);
    for (let i = 0; i < 100; i++) await restart(dublin, 'waiting');
    const after = await live(dublin);
    expect({ ...after, timeouts: 0 }).toEqual({ ...first, timeouts: 0 });
    // Timeouts come and go (backoff, retries); a hundred starts must not leave a hundred.
    expect(after.timeouts).toBeLessThanOrEqual(first.timeouts + 3);
  });

  it('close their call too, when a partner is live', async () => {
    const base = await serve();
    const dublin = await site(`${base}/?room=lobby&site=dublin&key=e2e-key`);
    const oslo = await site(`${base}/?room=lobby&site=oslo&key=e2e-key`);
    await Promise.all([waitForState(dublin, 'live'), waitForState(oslo, 'live')]);
    const first = await live(dublin);
    expect(first.peerConnections).toBe(1);
    for (let i = 0; i < 5; i++) await restart(dublin, 'live');
    const after = await live(dublin);
    expect({ ...after, timeouts: 0 }).toEqual({ ...first, timeouts: 0 });
  });
});
