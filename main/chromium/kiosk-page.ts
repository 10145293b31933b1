// The kiosk's page in the supervised Chromium, driven over the DevTools pipe with browser-wide
// commands only. The page opens as a new tab in the browser's window, and the tab shown before it
// is closed: that is the first load (from the empty tab the browser starts on; the URL, with the
// bridge secret, is never on a command line) and the watchdog's reload alike. The screen's size
// comes from the browser, and the window is made to cover the screen where no window manager
// does it. Nothing attaches to the page: with the kiosk's managed policies
// (DeveloperToolsAvailability 2, main/autostart/chromium-policy.ts) Chromium answers
// Target.attachToTarget with "Not allowed", while these commands work with the policies and
// without (Chromium 156).

import {
  coveringBounds,
  coversScreen,
  screenUnder,
  type ListedScreen,
  type ScreenRect,
} from '../display/screen-cover.js';
import { isCdpObject, type CdpConnection, type CdpObject } from './cdp-pipe.js';

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

export class KioskPage {
  private constructor(
    private readonly cdp: CdpConnection,
    private target: string,
  ) {}

  /** The tab that shows the page now (the browser's first tab until open() replaced it). */
  get targetId(): string {
    return this.target;
  }

  /** The browser's first tab (the one it opened on start); waits for it to be there. */
  static async find(cdp: CdpConnection, options: FindPageOptions = {}): Promise<KioskPage> {
    const timeoutMs = options.timeoutMs ?? 20_000;
    const pollMs = options.pollMs ?? 100;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { targetInfos } = await cdp.send('Target.getTargets');
      const page = (Array.isArray(targetInfos) ? targetInfos : []).find(
        (target): target is { targetId: string } =>
          isCdpObject(target) &&
          target['type'] === 'page' &&
          typeof target['targetId'] === 'string' &&
          !isBrowserUi(target['url']),
      );
      if (page !== undefined) return new KioskPage(cdp, page.targetId);
      if (Date.now() >= deadline) throw new Error(`the browser opened no tab within ${timeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /**
   * Shows `url` in a new tab, in front, and closes the tab shown before. The new tab has a
   * renderer of its own, so this is also how a page stuck in a script (which never lets a
   * navigation start) or a crashed one is reloaded; closing the hung tab does not wait for it.
   * The tab opens in the browser's last active window: the kiosk's, unless someone opened
   * another (Ctrl+N), which the host then makes cover the screen. Rejects when the new tab could
   * not be opened, or the old one (a hung page, still spinning) not closed.
   */
  async open(url: string): Promise<void> {
    const { targetId } = await this.cdp.send('Target.createTarget', { url });
    if (typeof targetId !== 'string') throw new Error('the browser opened no tab for the page');
    const before = this.target;
    this.target = targetId;
    await closeTab(this.cdp, before);
  }

  /**
   * The screen the page's window is on, from the browser's list of screens
   * (Emulation.getScreenInfos, a browser-wide command). An older browser without that list is
   * asked through the page instead, which the policy refuses.
   */
  async screen(window?: ScreenRect): Promise<ScreenRect> {
    const on = window ?? (await this.window()).bounds;
    let listed: CdpObject;
    try {
      listed = await this.cdp.send('Emulation.getScreenInfos');
    } catch (error) {
      if (this.cdp.isClosed) throw error;
      return this.screenFromPage((error as Error).message);
    }
    const screens: ListedScreen[] = (Array.isArray(listed['screenInfos']) ? (listed['screenInfos'] as unknown[]) : [])
      .filter((screen): screen is ScreenRect & CdpObject => isRect(screen))
      .map((screen) => ({ ...pickRect(screen), isPrimary: screen['isPrimary'] === true }));
    const screen = screenUnder(on, screens);
    if (screen === null) throw new Error(`the browser lists no screen (${JSON.stringify(listed)})`);
    return screen;
  }

  async window(): Promise<{ readonly windowId: number; readonly bounds: WindowBounds }> {
    const { windowId, bounds } = await this.cdp.send('Browser.getWindowForTarget', { targetId: this.target });
    const state = isCdpObject(bounds) ? bounds['windowState'] : undefined;
    if (typeof windowId !== 'number' || !isRect(bounds)) {
      throw new Error(`the browser gave no window for its tab (${JSON.stringify({ windowId, bounds })})`);
    }
    return { windowId, bounds: { ...pickRect(bounds), windowState: typeof state === 'string' ? state : 'normal' } };
  }

  /**
   * Makes the page's window cover its screen, unless it does already (a window manager made it
   * full screen). Chromium resizes only a window in the normal state, so the window is made
   * normal, given the screen's bounds (screen-cover.ts), and made full screen again, which
   * takes the kiosk's toolbar-less look back and lets a window manager that is there do the rest.
   */
  async coverScreen(screen?: ScreenRect): Promise<WindowFit> {
    const { windowId, bounds: from } = await this.window();
    const on = screen ?? (await this.screen(from));
    if (coversScreen(from, on)) return { action: 'covered', screen: on, window: from };
    if (from.windowState !== 'normal') await this.setBounds(windowId, { windowState: 'normal' });
    await this.setBounds(windowId, { ...coveringBounds(on) });
    await this.setBounds(windowId, { windowState: 'fullscreen' });
    return { action: 'resized', screen: on, from, to: (await this.window()).bounds };
  }

  private async setBounds(windowId: number, bounds: CdpObject): Promise<void> {
    await this.cdp.send('Browser.setWindowBounds', { windowId, bounds });
  }

  /** The page's own `screen`, in a session of its tab that is let go at once. */
  private async screenFromPage(unlisted: string): Promise<ScreenRect> {
    let sessionId: unknown;
    try {
      ({ sessionId } = await this.cdp.send('Target.attachToTarget', { targetId: this.target, flatten: true }));
    } catch (error) {
      throw new Error(`the browser gives no screen size (${unlisted}; ${(error as Error).message})`);
    }
    if (typeof sessionId !== 'string') throw new Error('the browser gave no session for its tab');
    try {
      const { result } = await this.cdp.send(
        'Runtime.evaluate',
        { expression: SCREEN_SCRIPT, returnByValue: true },
        sessionId,
      );
      const value = isCdpObject(result) && typeof result['value'] === 'string' ? JSON.parse(result['value']) : null;
      if (!isRect(value)) throw new Error(`the page gave no screen size (${JSON.stringify(result)})`);
      return pickRect(value);
    } finally {
      this.cdp.send('Target.detachFromTarget', { sessionId }).catch(() => undefined);
    }
  }
}

/** Closes a tab; one that is gone already is as good as closed. */
async function closeTab(cdp: CdpConnection, targetId: string): Promise<void> {
  let answer: CdpObject;
  try {
    answer = await cdp.send('Target.closeTarget', { targetId });
  } catch (error) {
    if (!cdp.isClosed && /no target/i.test((error as Error).message)) return;
    throw error;
  }
  // `success` is deprecated (always true where it is still sent); false would mean it stayed.
  if (answer['success'] === false) throw new Error('Target.closeTarget: the browser kept the tab shown before');
}

/**
 * A page of the browser's own window furniture, such as the address bar's drop-down
 * (chrome://omnibox-popup.top-chrome/), which Chromium 156 lists as a page once its window is up:
 * never the tab.
 */
function isBrowserUi(url: unknown): boolean {
  if (typeof url !== 'string') return false;
  try {
    return new URL(url).hostname.endsWith('.top-chrome');
  } catch {
    return false;
  }
}

function isRect(value: unknown): value is ScreenRect {
  return (
    isCdpObject(value) &&
    ['left', 'top', 'width', 'height'].every((key) => typeof value[key] === 'number' && Number.isFinite(value[key]))
  );
}

function pickRect(rect: ScreenRect): ScreenRect {
  return { left: rect.left, top: rect.top, width: rect.width, height: rect.height };
}
