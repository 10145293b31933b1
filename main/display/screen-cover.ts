// Where a kiosk window must be to cover its screen, for the shells that size their own window
// (the supervised Chromium, Electron). A window manager makes a kiosk window full screen; with
// none (xinit, a bare X server) the window keeps whatever bounds it was given, so the shell
// gives it the screen's.

/** A rectangle in screen coordinates (DIP), as the browser's screen and window bounds are. */
export interface ScreenRect {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** A screen as the browser lists them (Emulation.getScreenInfos). */
export interface ListedScreen extends ScreenRect {
  readonly isPrimary?: boolean;
}

/**
 * The screen a window is on: the one that holds its centre, else the primary one (a window
 * placed off every screen), else the first; null when there is none.
 */
export function screenUnder(window: ScreenRect, screens: readonly ListedScreen[]): ScreenRect | null {
  const x = window.left + window.width / 2;
  const y = window.top + window.height / 2;
  const found =
    screens.find((s) => x >= s.left && x < s.left + s.width && y >= s.top && y < s.top + s.height) ??
    screens.find((s) => s.isPrimary === true) ??
    screens[0];
  return found === undefined ? null : { left: found.left, top: found.top, width: found.width, height: found.height };
}

export function sameRect(a: ScreenRect, b: ScreenRect): boolean {
  return a.left === b.left && a.top === b.top && a.width === b.width && a.height === b.height;
}

/** True when `window` covers every pixel of `screen`. */
export function coversScreen(window: ScreenRect, screen: ScreenRect): boolean {
  return (
    window.left <= screen.left &&
    window.top <= screen.top &&
    window.left + window.width >= screen.left + screen.width &&
    window.top + window.height >= screen.top + screen.height
  );
}

/**
 * The bounds to give a window so that it covers `screen`: its origin, its width, and one pixel
 * more than its height. Chromium on X11 (and so Electron) never makes a window exactly a
 * display's size: it takes one pixel off each side, so that a window manager does not take it
 * for a full-screen one (DesktopWindowTreeHostLinux / X11Window::AdjustSizeForDisplay). A size
 * that differs from the display's is kept as asked; one row taller than the screen leaves that
 * row below its edge, which nobody sees, and the page's width is the screen's to the pixel.
 */
export function coveringBounds(screen: ScreenRect): ScreenRect {
  return { left: screen.left, top: screen.top, width: screen.width, height: screen.height + 1 };
}
