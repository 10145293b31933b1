import { describe, expect, it } from 'vitest';
import { coveringBounds, coversScreen } from '../../../../main/display/screen-cover.js';

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
});
