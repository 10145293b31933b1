// The portal page's entry: zod without eval first (the kiosk's CSP forbids it), then the page.
// Dispatching `portal:restart` on window stops every part of the page and starts it again in
// place (the same as a reload, without one); tests use it to find parts that do not stop.

import './zod-jitless.js';
import type { Disposable } from './lifecycle/disposables.js';
import { startPortal } from './page/portal-app.js';
import { StatusView } from './view/status-view.js';

let running: Promise<Disposable | null> = Promise.resolve(null);

function run(): void {
  running = running.then(async (previous) => {
    previous?.dispose();
    try {
      return await startPortal();
    } catch (error) {
      // Whatever went wrong, the page says so instead of staying at `starting`.
      const message = error instanceof Error ? error.message : String(error);
      new StatusView().show('error', { title: 'Portal could not start', detail: message }, 'config');
      return null;
    }
  });
}

window.addEventListener('portal:restart', run);
run();
