import { describe, expect, it } from 'vitest';
import {
  coveringBounds,
  coversScreen,
  screenUnder,
  type ListedScreen,
  type ScreenRect,
} from '../../../../main/display/screen-cover.js';

const screen = { left: 0, top: 0, width: 1280, height: 720 };

describe('covering the screen', () => {
  it('takes a window at or past every edge of the screen as covering it', () => {
    expect(coversScreen(screen, screen)).toBe(true);
    expect(coversScreen({ left: 0, top: 0, width: 1280, height: 721 }, screen)).toBe(true);
    expect(coversScreen({ left: -1, top: -1, width: 1282, height: 722 }, screen)).toBe(true);
  });

  it('sees a window short of any edge as not covering it', () => {
    // What --kiosk gives without a window manager, and Chromium's exact-size pixel off.
    expect(coversScreen({ left: 10, top: 10, width: 1050, height: 700 }, screen)).toBe(false);
    expect(coversScreen({ left: 0, top: 0, width: 1279, height: 719 }, screen)).toBe(false);
    expect(coversScreen({ left: 0, top: 0, width: 1280, height: 719 }, screen)).toBe(false);
    expect(coversScreen({ left: 1, top: 0, width: 1280, height: 720 }, screen)).toBe(false);
  });

  it('asks for the screen with one more row, a size X11 Chromium does not shrink', () => {
    expect(coveringBounds(screen)).toEqual({ left: 0, top: 0, width: 1280, height: 721 });
    // A second monitor to the right of the first.
    expect(coveringBounds({ left: 1920, top: 0, width: 1024, height: 768 })).toEqual({
      left: 1920,
      top: 0,
      width: 1024,
      height: 769,
    });
    expect(coversScreen(coveringBounds(screen), screen)).toBe(true);
  });

  it('finds the screen a window is on: the one under its centre, else the primary, else the first', () => {
    const left = { left: 0, top: 0, width: 1920, height: 1080, isPrimary: false };
    const right = { left: 1920, top: 0, width: 1024, height: 768, isPrimary: true };
    const rect = (s: ListedScreen): ScreenRect => ({ left: s.left, top: s.top, width: s.width, height: s.height });
    // The --kiosk window without a window manager, at 10,10.
    expect(screenUnder({ left: 10, top: 10, width: 1050, height: 700 }, [left, right])).toEqual(rect(left));
    // Mostly on the right-hand screen.
    expect(screenUnder({ left: 1800, top: 0, width: 800, height: 600 }, [left, right])).toEqual(rect(right));
    // Below the right-hand screen (768 high): on none, so the primary.
    expect(screenUnder({ left: 2000, top: 800, width: 400, height: 200 }, [left, right])).toEqual(rect(right));
    expect(screenUnder({ left: 5000, top: 0, width: 400, height: 200 }, [left])).toEqual(rect(left));
    expect(screenUnder(screen, [])).toBeNull();
  });
});
