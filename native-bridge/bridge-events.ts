// A host's events for one page, whichever transport carries them: the host emits, each
// transport that has the page's ear subscribes (Electron: webContents.send; the Chromium shell:
// the /bridge/events stream). An event emitted while nobody listens is dropped: a page that
// (re)connects asks for what it needs (getSettings) before it listens.

import type { BridgeEvent, BridgePayload } from '../app/bridge/bridge-schemas.js';

export type BridgeEventListener = <E extends BridgeEvent>(event: E, payload: BridgePayload<E>) => void;

export class BridgeEvents {
  private readonly listeners = new Set<BridgeEventListener>();

  emit<E extends BridgeEvent>(event: E, payload: BridgePayload<E>): void {
    for (const listener of [...this.listeners]) listener(event, payload);
  }

  /** Answers with a function that stops the listener. */
  subscribe(listener: BridgeEventListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  get listening(): number {
    return this.listeners.size;
  }
}
