import { describe, expect, it } from 'vitest';
import { urlNamingSignal } from '../../../../renderer/page/settings-source.js';

describe('the URL a web page opens for its saved signaling server', () => {
  const page = 'http://portal.test:8787/?room=lobby&site=dublin&key=k#x';

  it('is the same page with ?signal= set, when the saved server is not the one the URL names', () => {
    const moved = urlNamingSignal(page, 'wss://signal.example:443/signal');
    expect(moved).not.toBeNull();
    const url = new URL(moved!);
    expect(url.searchParams.get('signal')).toBe('wss://signal.example:443/signal');
    expect([url.origin, url.pathname, url.searchParams.get('room'), url.searchParams.get('site'), url.hash]).toEqual([
      'http://portal.test:8787',
      '/',
      'lobby',
      'dublin',
      '#x',
    ]);
  });

  it('is none when the URL names it already, so the page opens once, not again and again', () => {
    const moved = urlNamingSignal(page, 'ws://other.test:8787/signal')!;
    expect(urlNamingSignal(moved, 'ws://other.test:8787/signal')).toBeNull();
    expect(urlNamingSignal(page, null)).toBeNull();
  });

  it('drops ?signal= when the saved settings went back to the page’s own server', () => {
    const moved = urlNamingSignal(`${page.replace('#x', '')}&signal=ws%3A%2F%2Fold.test%2Fsignal`, null)!;
    expect(new URL(moved).searchParams.has('signal')).toBe(false);
  });
});
