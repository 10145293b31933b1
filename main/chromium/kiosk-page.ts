// The kiosk's tab in the supervised Chromium, driven over the DevTools pipe: found and attached
// to once the browser is up, sent to the portal page (whose URL, with the bridge secret, is
// never on a command line), reloaded for the watchdog, and its window made to cover the screen
// where no window manager does it.

import { coveringBounds, coversScreen, type ScreenRect } from '../display/screen-cover.js';
import type { CdpConnection, CdpObject } from './cdp-pipe.js';

/** A window's bounds as Browser.getWindowForTarget reports them. */
export interface WindowBounds extends ScreenRect {
  readonly windowState: string;
}

/** What fitting the window found and did. */
export type WindowFit =
  | { readonly action: 'covered'; readonly screen: ScreenRect; readonly window: WindowBounds }
  | {
      readonly action: 'resized';
      readonly screen: ScreenRect;
      readonly from: WindowBounds;
      readonly to: WindowBounds;
    };

export interface FindPageOptions {
  /** How long to wait for the browser's first tab (default 20 s). */
  readonly timeoutMs?: number;
  /** Between two looks at the browser's targets (default 100 ms). */
  readonly pollMs?: number;
}

const SCREEN_SCRIPT = `JSON.stringify({
  left: typeof screen.left === 'number' ? screen.left : 0,
  top: typeof screen.top === 'number' ? screen.top : 0,
  width: screen.width,
  height: screen.height,
})`;

/** How long after Page.crash the renderer is taken for gone (it never answers that call). */
const CRASH_SETTLE_MS = 500;

export class KioskPage {
  private constructor(
    private readonly cdp: CdpConnection,
    readonly targetId: string,
    private sessionId: string,
  ) {}

  /** The browser's first tab (the one it opened on start), attached to; waits for it to be there. */
  static async find(cdp: CdpConnection, options: FindPageOptions = {}): Promise<KioskPage> {
    const timeoutMs = options.timeoutMs ?? 20_000;
    const pollMs = options.pollMs ?? 100;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { targetInfos } = await cdp.send('Target.getTargets');
      const page = (Array.isArray(targetInfos) ? targetInfos : []).find(
        (target): target is { targetId: string } =>
          isObject(target) && target['type'] === 'page' && typeof target['targetId'] === 'string',
      );
      if (page !== undefined) return new KioskPage(cdp, page.targetId, await attach(cdp, page.targetId));
      if (Date.now() >= deadline) throw new Error(`the browser opened no tab within ${timeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /** Loads `url` in the tab; rejects when the browser says it could not. */
  async navigate(url: string): Promise<void> {
    const result = await this.call('Page.navigate', { url });
    if (typeof result['errorText'] === 'string' && result['errorText'] !== '') {
      throw new Error(`the page did not load: ${result['errorText']}`);
    }
  }

  /**
   * Loads `url` into a fresh renderer. A page stuck in a script never lets a navigation start,
   * so its renderer is crashed first (Page.crash runs on the renderer's IO thread, which still
   * answers; the call itself never gets an answer) and the page loaded again into a new one.
   */
  async reload(url: string): Promise<void> {
    this.cdp.send('Page.crash', {}, this.sessionId).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, CRASH_SETTLE_MS));
    await this.navigate(url);
  }

  /** The screen the tab's window is on, as the page sees it. */
  async screen(): Promise<ScreenRect> {
    const { result } = await this.call('Runtime.evaluate', { expression: SCREEN_SCRIPT, returnByValue: true });
    const value = isObject(result) && typeof result['value'] === 'string' ? JSON.parse(result['value']) : null;
    if (!isRect(value)) throw new Error(`the page gave no screen size (${JSON.stringify(result)})`);
    return value;
  }

  async window(): Promise<{ readonly windowId: number; readonly bounds: WindowBounds }> {
    const { windowId, bounds } = await this.cdp.send('Browser.getWindowForTarget', { targetId: this.targetId });
    const state = isObject(bounds) ? bounds['windowState'] : undefined;
    if (typeof windowId !== 'number' || !isRect(bounds)) {
      throw new Error(`the browser gave no window for its tab (${JSON.stringify({ windowId, bounds })})`);
    }
    return { windowId, bounds: { ...pickRect(bounds), windowState: typeof state === 'string' ? state : 'normal' } };
  }

  /**
   * Makes the tab's window cover its screen, unless it does already (a window manager made it
   * full screen). Chromium resizes only a window in the normal state, so the window is made
   * normal, given the screen's bounds (screen-cover.ts), and made full screen again, which
   * takes the kiosk's toolbar-less look back and lets a window manager that is there do the rest.
   */
  async coverScreen(screen?: ScreenRect): Promise<WindowFit> {
    const on = screen ?? (await this.screen());
    const { windowId, bounds: from } = await this.window();
    if (coversScreen(from, on)) return { action: 'covered', screen: on, window: from };
    if (from.windowState !== 'normal') await this.setBounds(windowId, { windowState: 'normal' });
    await this.setBounds(windowId, { ...coveringBounds(on) });
    await this.setBounds(windowId, { windowState: 'fullscreen' });
    return { action: 'resized', screen: on, from, to: (await this.window()).bounds };
  }

  private async setBounds(windowId: number, bounds: CdpObject): Promise<void> {
    await this.cdp.send('Browser.setWindowBounds', { windowId, bounds });
  }

  /** A call in the tab's session, attached again once if the browser has let it go. */
  private async call(method: string, params: CdpObject): Promise<CdpObject> {
    try {
      return await this.cdp.send(method, params, this.sessionId);
    } catch (error) {
      if (this.cdp.isClosed || !/session/i.test((error as Error).message)) throw error;
      this.sessionId = await attach(this.cdp, this.targetId);
      return this.cdp.send(method, params, this.sessionId);
    }
  }
}

async function attach(cdp: CdpConnection, targetId: string): Promise<string> {
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
  if (typeof sessionId !== 'string') throw new Error('the browser gave no session for its tab');
  return sessionId;
}

function isObject(value: unknown): value is CdpObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRect(value: unknown): value is ScreenRect {
  return (
    isObject(value) &&
    ['left', 'top', 'width', 'height'].every((key) => typeof value[key] === 'number' && Number.isFinite(value[key]))
  );
}

function pickRect(rect: ScreenRect): ScreenRect {
  return { left: rect.left, top: rect.top, width: rect.width, height: rect.height };
}
