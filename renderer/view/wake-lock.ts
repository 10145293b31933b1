// Keeps the screen on: a screen wake lock for as long as the page is shown, taken again when
// the platform lets it go (the page hidden and shown again, a power-save change). In Electron
// the main process also holds powerSaveBlocker; in the Chromium kiosk this is what there is.

import { DisposableStore, type Disposable } from '../lifecycle/disposables.js';

const RETRY_MS = 30_000;

/** Holds the wake lock until disposed. */
export function keepScreenOn(): Disposable {
  const store = new DisposableStore();
  if (!('wakeLock' in navigator)) {
    console.warn(JSON.stringify({ event: 'wake-lock-unavailable' }));
    return store;
  }
  let held: WakeLockSentinel | null = null;
  const take = async (): Promise<void> => {
    if (store.isDisposed || document.visibilityState !== 'visible' || (held !== null && !held.released)) return;
    try {
      const sentinel = await navigator.wakeLock.request('screen');
      if (store.isDisposed) return void sentinel.release().catch(() => undefined);
      held = sentinel;
      sentinel.addEventListener('release', () => void take());
      console.info(JSON.stringify({ event: 'wake-lock-held' }));
    } catch (error) {
      // Refused (a power-save mode, a policy): say so, and ask again later.
      console.warn(JSON.stringify({ event: 'wake-lock-refused', message: String(error) }));
    }
  };
  store.listen(document, 'visibilitychange', () => void take());
  const retry = setInterval(() => void take(), RETRY_MS);
  store.add(() => clearInterval(retry));
  store.add(() => void held?.release().catch(() => undefined));
  void take();
  return store;
}
