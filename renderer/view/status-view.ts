// What the page tells people and scripts: data-portal-state / data-portal-error on <html>
// (docs/surface.md), and a screen a person understands from across a room.

import type { PortalState } from '../../app/link/link-machine.js';

export type PortalError = string;

export interface StatusText {
  readonly title: string;
  readonly detail: string;
}

export class StatusView {
  private readonly root = document.documentElement;
  private readonly title = document.getElementById('status-title')!;
  private readonly detail = document.getElementById('status-detail')!;

  show(state: PortalState, text: StatusText, error: PortalError | null = null): void {
    this.root.dataset['portalState'] = state;
    if (state === 'error' && error !== null) this.root.dataset['portalError'] = error;
    else delete this.root.dataset['portalError'];
    if (this.title.textContent !== text.title) this.title.textContent = text.title;
    if (this.detail.textContent !== text.detail) this.detail.textContent = text.detail;
  }
}
