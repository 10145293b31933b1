// A stand-in for Chromium's end of --remote-debugging-pipe: it reads the NUL-delimited commands
// the host writes to fd 3 and answers on fd 4 as a browser with one tab and one window would,
// recording every command. X11's quirk of never making a window exactly the screen's size is
// kept, so the window-fitting policy is tried against it.

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
  /** Looks at getTargets before the tab is there. */
  tabAfter = 0;
  /** Per method, an answer of the test's instead of the browser's own. */
  readonly overrides = new Map<string, (command: Command) => Answer>();
  private sessions = 0;
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

  /** The URLs the tab was sent to. */
  navigations(): string[] {
    return this.commands.filter((c) => c.method === 'Page.navigate').map((c) => String(c.params['url']));
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
        const ui = { targetId: 'UI', type: 'browser_ui', url: 'chrome://omnibox-popup.top-chrome/' };
        const tab = { targetId: 'TAB', type: 'page', url: 'about:blank' };
        return { result: { targetInfos: this.tabAfter-- > 0 ? [ui] : [ui, tab] } };
      }
      case 'Target.attachToTarget':
        return params['targetId'] === 'TAB' && params['flatten'] === true
          ? { result: { sessionId: `S${++this.sessions}` } }
          : { error: 'No target with given id found' };
      case 'Page.navigate':
        return { result: { frameId: 'F', loaderId: 'L' } };
      case 'Page.crash':
        return 'no answer';
      case 'Runtime.evaluate':
        return { result: { result: { type: 'string', value: JSON.stringify(this.screen) } } };
      case 'Browser.getWindowForTarget':
        return { result: { windowId: 7, bounds: { ...this.window } } };
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
}
