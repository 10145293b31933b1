// Keeps the screen on: a screen wake lock for as long as the page is shown, taken again when
// the platform lets it go (the page hidden and shown again, a power-save change). In Electron
// the main process also holds powerSaveBlocker; in the Chromium kiosk this is what there is.

const RETRY_MS = 30_000;

export function keepScreenOn(): void {
  if (!('wakeLock' in navigator)) {
    console.warn(JSON.stringify({ event: 'wake-lock-unavailable' }));
    return;
  }
  let held: WakeLockSentinel | null = null;
  const take = async (): Promise<void> => {
    if (document.visibilityState !== 'visible' || (held !== null && !held.released)) return;
    try {
      held = await navigator.wakeLock.request('screen');
      held.addEventListener('release', () => void take());
      console.info(JSON.stringify({ event: 'wake-lock-held' }));
    } catch (error) {
      // Refused (a power-save mode, a policy): say so, and ask again later.
      console.warn(JSON.stringify({ event: 'wake-lock-refused', message: String(error) }));
    }
  };
  document.addEventListener('visibilitychange', () => void take());
  setInterval(() => void take(), RETRY_MS);
  void take();
}
