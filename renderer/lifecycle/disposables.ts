// Whatever starts, stops: a part collects what it must undo (listeners, timers, streams) as it
// goes and undoes all of it once, in reverse order, on dispose().

export interface Disposable {
  dispose(): void;
}

export class DisposableStore implements Disposable {
  private readonly undo: Array<() => void> = [];
  private disposed = false;

  /** Runs `cleanup` on dispose (at once, when already disposed). */
  add(cleanup: () => void): void {
    if (this.disposed) cleanup();
    else this.undo.push(cleanup);
  }

  listen<K extends keyof DocumentEventMap>(
    target: Document,
    type: K,
    listener: (event: DocumentEventMap[K]) => void,
    capture?: boolean,
  ): void;
  listen(target: EventTarget, type: string, listener: (event: Event) => void, capture?: boolean): void;
  listen(target: EventTarget, type: string, listener: (event: never) => void, capture = false): void {
    const handler = listener as EventListener;
    target.addEventListener(type, handler, capture);
    this.add(() => target.removeEventListener(type, handler, capture));
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const cleanup of this.undo.splice(0).reverse()) cleanup();
  }
}

/** A timer that can be started again (the previous one cancelled) and is cancelled on dispose. */
export class Timer implements Disposable {
  private handle: ReturnType<typeof setTimeout> | null = null;

  start(ms: number, run: () => void): void {
    this.cancel();
    this.handle = setTimeout(() => {
      this.handle = null;
      run();
    }, ms);
  }

  get running(): boolean {
    return this.handle !== null;
  }

  cancel(): void {
    if (this.handle !== null) clearTimeout(this.handle);
    this.handle = null;
  }

  dispose(): void {
    this.cancel();
  }
}
