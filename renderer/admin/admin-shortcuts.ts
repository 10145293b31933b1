// How a person reaches the overlay at a kiosk: Ctrl+Shift+A opens and closes it, Ctrl+Shift+S
// shows the stats, Escape closes, and on a touch screen a three-second press on the top-left
// corner opens it. Any input while it is open counts as activity.

import { DisposableStore, Timer, type Disposable } from '../lifecycle/disposables.js';

const CORNER_PX = 60;
export const CORNER_HOLD_MS = 3_000;

export interface ShortcutActions {
  isOpen(): boolean;
  toggle(): void;
  open(): void;
  close(): void;
  toggleStats(): void;
  /** Any key, touch or input while open. */
  activity(): void;
}

export function listenForShortcuts(actions: ShortcutActions): Disposable {
  const store = new DisposableStore();
  const corner = new Timer();
  store.add(() => corner.dispose());
  store.listen(document, 'keydown', (event) => {
    const key = event.key.toLowerCase();
    if (event.ctrlKey && event.shiftKey && key === 'a') {
      event.preventDefault();
      actions.toggle();
    } else if (event.ctrlKey && event.shiftKey && key === 's') {
      event.preventDefault();
      actions.toggleStats();
    } else if (key === 'escape' && actions.isOpen()) {
      actions.close();
    }
  });
  for (const type of ['keydown', 'pointerdown', 'input'] as const) {
    store.listen(document, type, () => actions.activity(), true);
  }
  store.listen(document, 'pointerdown', (event) => {
    if (actions.isOpen() || event.clientX > CORNER_PX || event.clientY > CORNER_PX) return;
    corner.start(CORNER_HOLD_MS, () => actions.open());
  });
  for (const type of ['pointerup', 'pointercancel', 'pointerleave'] as const) {
    store.listen(document, type, () => corner.cancel());
  }
  return store;
}
