// A stand-in for Chromium's end of --remote-debugging-pipe: it reads the NUL-delimited commands
// the host writes to fd 3 and answers on fd 4 as a browser with one window would, recording
// every command. Tabs open and close in that window; with `devtoolsPolicy` it refuses to attach
// to them, as Chromium 156 does under DeveloperToolsAvailability 2. X11's quirk of never making a
// window exactly the screen's size is kept, so the window-fitting policy is tried against it.

import { PassThrough } from 'node:stream';
import type { FakeChild } from './fake-child.js';

export interface Command {
  readonly method: string;
  readonly params: Record<string, unknown>;
  readonly sessionId?: string;
}

interface Bounds {
  left: number;
  top: number;
  width: number;
  height: number;
  windowState: string;
}

/** What a command gets: a result, an error message, or no answer at all. */
export type Answer = { result: Record<string, unknown> } | { error: string } | 'no answer';

export class FakeCdpBrowser {
  /** The host writes here (the browser's fd 3). */
  readonly toBrowser = new PassThrough();
  /** The host reads here (the browser's fd 4). */
  readonly fromBrowser = new PassThrough();
  readonly commands: Command[] = [];
  screen = { left: 0, top: 0, width: 1280, height: 720 };
  /** The window as a bare X server leaves a --kiosk window: not full screen, whatever it says. */
  window: Bounds = { left: 10, top: 10, width: 1050, height: 700, windowState: 'fullscreen' };
  /** Looks at getTargets before the first tab is there. */
  tabAfter = 0;
  /** The managed policy DeveloperToolsAvailability 2: Target.attachToTarget answers "Not allowed". */
  devtoolsPolicy = false;
  /** The window's tabs, in order, the browser's first (about:blank) included. */
  readonly tabs: Array<{ readonly targetId: string; readonly url: string }> = [{ targetId: 'TAB', url: 'about:blank' }];
  /** Per method, an answer of the test's instead of the browser's own. */
  readonly overrides = new Map<string, (command: Command) => Answer>();
  private sessions = 0;
  private created = 0;
  private partial = '';

  constructor() {
    this.toBrowser.on('data', (chunk: Buffer) => {
      const parts = (this.partial + chunk.toString('utf8')).split('\0');
      this.partial = parts.pop()!;
      for (const part of parts) this.received(JSON.parse(part) as Command & { id: number });
    });
  }

  /** Gives `child` this browser's pipe as fds 3 and 4; the pipe closes when the child exits. */
  static on(child: FakeChild): FakeCdpBrowser {
    const browser = new FakeCdpBrowser();
    Object.assign(child, { stdio: [null, null, null, browser.toBrowser, browser.fromBrowser] });
    child.once('exit', () => browser.closePipe());
    return browser;
  }

  /** The browser's end closes (it exited, or it dropped the pipe and lives on). */
  closePipe(): void {
    if (!this.fromBrowser.writableEnded) this.fromBrowser.end();
  }

  methods(): string[] {
    return this.commands.map((command) => command.method);
  }

  /** The URLs opened in new tabs, in order. */
  opened(): string[] {
    return this.commands.filter((c) => c.method === 'Target.createTarget').map((c) => String(c.params['url']));
  }

  /** The URLs of the tabs open now. */
  tabUrls(): string[] {
    return this.tabs.map((tab) => tab.url);
  }

  private received(command: Command & { id: number }): void {
    this.commands.push({
      method: command.method,
      params: command.params,
      ...(command.sessionId === undefined ? {} : { sessionId: command.sessionId }),
    });
    const answer = this.overrides.get(command.method)?.(command) ?? this.answer(command);
    if (answer === 'no answer' || this.fromBrowser.writableEnded) return;
    const reply =
      'error' in answer
        ? { id: command.id, error: { code: -32000, message: answer.error } }
        : { id: command.id, result: answer.result };
    this.fromBrowser.write(`${JSON.stringify(reply)}\0`);
  }

  private answer(command: Command): Answer {
    const { params } = command;
    switch (command.method) {
      case 'Target.getTargets': {
        // Chromium 156 lists the address bar's drop-down as a page, ahead of the tabs.
        const ui = { targetId: 'UI', type: 'page', url: 'chrome://omnibox-popup.top-chrome/', attached: false };
        const tabs = this.tabAfter-- > 0 ? [] : this.tabs.map((tab) => ({ ...tab, type: 'page', attached: false }));
        return { result: { targetInfos: [ui, ...tabs] } };
      }
      case 'Target.createTarget': {
        const tab = { targetId: `T${++this.created}`, url: String(params['url']) };
        this.tabs.push(tab);
        return { result: { targetId: tab.targetId } };
      }
      case 'Target.closeTarget': {
        const at = this.tabs.findIndex((tab) => tab.targetId === params['targetId']);
        if (at === -1) return { error: 'No target with given id found' };
        this.tabs.splice(at, 1);
        return { result: { success: true } };
      }
      case 'Target.attachToTarget':
        if (!this.hasTab(params['targetId']) || params['flatten'] !== true) {
          return { error: 'No target with given id found' };
        }
        return this.devtoolsPolicy ? { error: 'Not allowed' } : { result: { sessionId: `S${++this.sessions}` } };
      case 'Target.detachFromTarget':
        return { result: {} };
      case 'Runtime.evaluate':
        // A page's command: the browser's own target has no Runtime.
        if (command.sessionId === undefined) return { error: `'${command.method}' wasn't found` };
        return { result: { result: { type: 'string', value: JSON.stringify(this.screen) } } };
      case 'Emulation.getScreenInfos':
        return { result: { screenInfos: [{ ...this.screen, isPrimary: true, devicePixelRatio: 1 }] } };
      case 'Browser.getWindowForTarget':
        return this.hasTab(params['targetId'])
          ? { result: { windowId: 7, bounds: { ...this.window } } }
          : { error: 'No target with given id found' };
      case 'Browser.setWindowBounds': {
        const bounds = params['bounds'] as Partial<Bounds>;
        if (bounds.windowState !== undefined) {
          this.window.windowState = bounds.windowState;
          return { result: {} };
        }
        if (this.window.windowState !== 'normal') {
          return { error: 'To resize minimized/maximized/fullscreen window, restore it to normal state first.' };
        }
        // X11Window::AdjustSizeForDisplay: a display's exact size loses a pixel each way.
        const exact = bounds.width === this.screen.width && bounds.height === this.screen.height;
        Object.assign(this.window, bounds);
        if (exact) Object.assign(this.window, { width: this.screen.width - 1, height: this.screen.height - 1 });
        return { result: {} };
      }
      default:
        return { error: `'${command.method}' wasn't found` };
    }
  }

  private hasTab(targetId: unknown): boolean {
    return this.tabs.some((tab) => tab.targetId === targetId);
  }
}
