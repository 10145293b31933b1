// The stats view, [data-portal-stats]: the call's figures over the video, updated every second
// from getStats, large enough to read from a few metres away. Ctrl+Shift+S, or the overlay's
// button, shows and hides it.

import { snapshot, statsRows, summarize, type StatsReport, type StatsSnapshot } from '../../app/stats/link-stats.js';
import type { Disposable } from '../lifecycle/disposables.js';
import { h } from '../view/dom.js';

const EVERY_MS = 1_000;

export class StatsView implements Disposable {
  readonly element = h('section', { 'data-portal-stats': true, 'aria-label': 'Call statistics', hidden: true });
  private readonly table = h('table');
  private timer: ReturnType<typeof setInterval> | null = null;
  private previous: StatsSnapshot | null = null;

  /** `source`: the session's stats (null between sessions); `path`: how sessions reach the partner. */
  constructor(
    private readonly source: () => Promise<RTCStatsReport> | null,
    private readonly path: () => string | null = () => null,
  ) {
    this.element.append(h('h2', {}, 'Call statistics'), this.table);
    document.body.append(this.element);
  }

  get visible(): boolean {
    return !this.element.hidden;
  }

  toggle(): void {
    if (this.visible) this.hide();
    else this.show();
  }

  show(): void {
    this.element.hidden = false;
    this.previous = null;
    void this.update();
    this.timer ??= setInterval(() => void this.update(), EVERY_MS);
  }

  hide(): void {
    this.element.hidden = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  dispose(): void {
    this.hide();
    this.element.remove();
  }

  private async update(): Promise<void> {
    const pending = this.source();
    const reports: StatsReport[] = [];
    if (pending !== null) (await pending).forEach((report: StatsReport) => reports.push(report));
    const now = snapshot(reports, performance.now());
    const rows = statsRows(summarize(now, this.previous), this.path());
    this.previous = pending === null ? null : now;
    this.table.replaceChildren(
      ...rows.map(([label, value]) => h('tr', {}, h('th', { scope: 'row' }, label), h('td', {}, value))),
    );
    this.element.dataset['live'] = pending === null ? 'false' : 'true';
  }
}
