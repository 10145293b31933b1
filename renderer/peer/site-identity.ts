// This site's identity: one ECDSA P-256 RTCCertificate that every session presents in its DTLS
// handshake, so a partner can pin its fingerprint. Generated once and kept in this page's
// IndexedDB (an RTCCertificate is structured-cloneable), so it survives reloads, restarts and
// reboots of the kiosk's profile; a new one only when an admin asks. Chromium gives a certificate
// a year at most (app/identity/fingerprint.ts), so a month before it ends the next one is made and
// kept beside it (the link controller tells the partner), and at the end it takes over
// (app/identity/rollover.ts). Storage that fails does not stop the portal: the page runs with a
// certificate of its own for this load, says so, and tries the storage again every minute.

import { IDENTITY_LIFETIME_MS, parseFingerprint } from '../../app/identity/fingerprint.js';
import { ROLLOVER_TIMING, rolloverStep, type RolloverTiming } from '../../app/identity/rollover.js';
import type { Disposable } from '../lifecycle/disposables.js';

const DB_NAME = 'portal-identity';
const STORE = 'identity';
const KEY = 'certificate';
/** The next certificate, made before the current one ends; it becomes `certificate` then. */
const NEXT_KEY = 'next';
/** IndexedDB that neither opens nor fails (a profile whose storage hangs) is given up after this. */
const STORAGE_TIMEOUT_MS = 3_000;
/** How often a running page looks at its certificate's expiry (a 24/7 page may run for months). */
const EXPIRY_CHECK_MS = 60 * 60 * 1_000;
/** How often a page whose identity is not kept tries its storage again. */
const STORAGE_RETRY_MS = 60 * 1_000;

/**
 * TEST-ONLY: a test's init script may set `window.__portalIdentityTest` before the page loads to
 * scale the year down to seconds (test/e2e/identity-rollover.test.ts). A kiosk never sets it.
 */
interface IdentityTestTiming {
  /** The lifetime of a certificate made with none kept (the next one always gets a year). */
  readonly firstLifetimeMs?: number;
  readonly nextLeadMs?: number;
  readonly switchBeforeMs?: number;
  readonly checkMs?: number;
  readonly retryMs?: number;
}

interface IdentityTiming extends RolloverTiming {
  readonly firstLifetimeMs: number;
  readonly checkMs: number;
  readonly retryMs: number;
}

function timingOfPage(): IdentityTiming {
  const test = (globalThis as { __portalIdentityTest?: IdentityTestTiming }).__portalIdentityTest ?? {};
  const pick = (value: number | undefined, otherwise: number): number =>
    typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : otherwise;
  return {
    firstLifetimeMs: pick(test.firstLifetimeMs, IDENTITY_LIFETIME_MS),
    nextLeadMs: pick(test.nextLeadMs, ROLLOVER_TIMING.nextLeadMs),
    switchBeforeMs: pick(test.switchBeforeMs, ROLLOVER_TIMING.switchBeforeMs),
    checkMs: pick(test.checkMs, EXPIRY_CHECK_MS),
    retryMs: pick(test.retryMs, STORAGE_RETRY_MS),
  };
}

export interface IdentityInfo {
  /** sha-256, upper-case hex, colon-separated, as in SDP. */
  readonly fingerprint: string;
  /** When the certificate expires (ms since 1970). */
  readonly expires: number;
  /** Kept in this browser's storage: the same after a reload. */
  readonly kept: boolean;
  /** Why it is not kept, in a sentence; null when it is. */
  readonly problem: string | null;
  /** The next certificate, kept beside this one, that takes over when this one ends; or none yet. */
  readonly next: { readonly fingerprint: string; readonly expires: number } | null;
}

interface Kept {
  readonly current: RTCCertificate | null;
  readonly next: RTCCertificate | null;
}

export class SiteIdentity implements Disposable {
  private readonly listeners = new Set<(info: IdentityInfo) => void>();
  private readonly check: ReturnType<typeof setInterval>;
  private retry: ReturnType<typeof setInterval> | null = null;
  /** Every change of the identity, one after another (each reads what the last one left). */
  private work: Promise<void> = Promise.resolve();
  private disposed = false;

  private constructor(
    private current: RTCCertificate,
    private next: RTCCertificate | null,
    private problem: string | null,
    private readonly storage: IDBFactory | undefined,
    private readonly timing: IdentityTiming,
  ) {
    this.check = setInterval(() => void this.roll(), timing.checkMs);
    if (problem !== null) this.retryStorage();
  }

  /**
   * This site's identity: the kept one (or its next one, when it has ended), or a new one (kept
   * where storage allows). Null only when the browser cannot make a certificate at all; sessions
   * then run with the browser's own.
   */
  static async load(storage: IDBFactory | undefined = globalThis.indexedDB): Promise<SiteIdentity | null> {
    const timing = timingOfPage();
    let problem: string | null = null;
    let kept: Kept = { current: null, next: null };
    try {
      kept = await read(storage);
    } catch (error) {
      problem = notKept(error);
    }
    const step = rolloverStep(kept.current?.expires ?? null, kept.next?.expires ?? null, Date.now(), timing);
    if (kept.current !== null && (step === 'keep' || step === 'make-next')) {
      const identity = new SiteIdentity(kept.current, kept.next, null, storage, timing);
      await identity.roll();
      return identity;
    }
    if (kept.current !== null && step === 'switch') {
      // The page was off when its certificate ended: the next one takes over now.
      const identity = new SiteIdentity(kept.current, kept.next, null, storage, timing);
      await identity.roll();
      return identity;
    }
    if (kept.current !== null) log('identity-expiring', { expires: new Date(kept.current.expires).toISOString() });
    const fresh = await generate(timing.firstLifetimeMs).catch((error: unknown) => {
      console.error(JSON.stringify({ event: 'identity-failed', message: String(error) }));
      return null;
    });
    if (fresh === null) return null;
    const certificate =
      problem === null
        ? await keep(storage, fresh, timing).catch((error: unknown) => {
            problem = notKept(error);
            return fresh;
          })
        : fresh;
    const identity = new SiteIdentity(certificate, null, problem, storage, timing);
    log(problem === null ? 'identity-created' : 'identity-not-kept', {
      fingerprint: identity.fingerprint,
      ...(problem === null ? {} : { problem }),
    });
    await identity.roll();
    return identity;
  }

  get certificate(): RTCCertificate {
    return this.current;
  }

  get fingerprint(): string {
    return fingerprintOf(this.current);
  }

  get info(): IdentityInfo {
    return {
      fingerprint: fingerprintOf(this.current),
      expires: this.current.expires,
      kept: this.problem === null,
      problem: this.problem,
      next: this.next === null ? null : { fingerprint: fingerprintOf(this.next), expires: this.next.expires },
    };
  }

  /** Called with the identity after each change (a renewal, a next one made, a switch); answers with a way to stop. */
  onChange(listener: (info: IdentityInfo) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * A new certificate in place of this one (and of its next one), kept as the old one was: an
   * admin asked for it, or it ended with no next one. A partner that pinned the old fingerprint
   * refuses this site after it.
   */
  renew(reason: 'asked' | 'expiring'): Promise<void> {
    return this.serially(async () => {
      const fresh = await generate(IDENTITY_LIFETIME_MS);
      const previous = this.fingerprint;
      if (this.problem === null) {
        await write(this.storage, { current: fresh, next: null }).catch((error: unknown) => {
          this.problem = notKept(error);
        });
      }
      this.current = fresh;
      this.next = null;
      log('identity-renewed', { reason, from: previous, to: this.fingerprint, kept: this.problem === null });
      if (this.problem !== null) this.retryStorage();
      this.changed();
    });
  }

  dispose(): void {
    this.disposed = true;
    clearInterval(this.check);
    if (this.retry !== null) clearInterval(this.retry);
    this.retry = null;
    this.listeners.clear();
  }

  /** What the year asks for now (rollover.ts): nothing, the next certificate, the switch, or a new one. */
  private roll(): Promise<void> {
    return this.serially(async () => {
      const step = rolloverStep(this.current.expires, this.next?.expires ?? null, Date.now(), this.timing);
      switch (step) {
        case 'keep':
          return;
        case 'make-next': {
          // A next one that is not kept would be another after a reload: the partner would be
          // told of one this site never presents. It waits until the storage works.
          if (this.problem !== null) return;
          const next = await generate(IDENTITY_LIFETIME_MS);
          await write(this.storage, { current: this.current, next });
          this.next = next;
          log('identity-next-made', {
            fingerprint: this.fingerprint,
            next: fingerprintOf(next),
            takesOver: new Date(this.current.expires - this.timing.switchBeforeMs).toISOString(),
          });
          return this.changed();
        }
        case 'switch': {
          const next = this.next!;
          const previous = this.fingerprint;
          if (this.problem === null) {
            await write(this.storage, { current: next, next: null }).catch((error: unknown) => {
              this.problem = notKept(error);
              this.retryStorage();
            });
          }
          this.current = next;
          this.next = null;
          log('identity-switched', { from: previous, to: this.fingerprint, kept: this.problem === null });
          return this.changed();
        }
        case 'renew':
          // Outside the queue's turn: renew() queues itself after this step.
          void this.renew('expiring');
          return;
      }
    });
  }

  /**
   * While the identity is not kept, the storage is tried again every so often: a certificate
   * kept there (the one before a failed read) takes over for the next session, else this one is
   * kept from now on.
   */
  private retryStorage(): void {
    this.retry ??= setInterval(
      () =>
        void this.serially(async () => {
          if (this.problem === null) return;
          const kept = await read(this.storage).catch(() => null);
          if (kept === null) return;
          const step = rolloverStep(kept.current?.expires ?? null, kept.next?.expires ?? null, Date.now(), this.timing);
          const previous = this.fingerprint;
          if (kept.current !== null && step !== 'renew') {
            this.current = kept.current;
            this.next = kept.next;
          } else {
            const ok = await write(this.storage, { current: this.current, next: null }).then(
              () => true,
              () => false,
            );
            if (!ok) return;
            this.next = null;
          }
          this.problem = null;
          if (this.retry !== null) clearInterval(this.retry);
          this.retry = null;
          log('identity-kept-again', { from: previous, fingerprint: this.fingerprint });
          this.changed();
          // The kept one may be near its end too.
          void this.roll();
        }),
      this.timing.retryMs,
    );
  }

  private serially(change: () => Promise<void>): Promise<void> {
    const run = this.work.then(() => (this.disposed ? undefined : change()));
    this.work = run.catch((error: unknown) =>
      console.warn(JSON.stringify({ event: 'identity-change-failed', message: String(error) })),
    );
    return run;
  }

  private changed(): void {
    const info = this.info;
    for (const listener of this.listeners) listener(info);
  }
}

function generate(lifetimeMs: number): Promise<RTCCertificate> {
  // Chromium clamps `expires` to a year and defaults to 30 days; asked for a year, it gives one.
  return RTCPeerConnection.generateCertificate({
    name: 'ECDSA',
    namedCurve: 'P-256',
    expires: lifetimeMs,
  } as AlgorithmIdentifier);
}

function fingerprintOf(certificate: RTCCertificate): string {
  const sha256 = certificate.getFingerprints().find((f) => f.algorithm?.toLowerCase() === 'sha-256');
  const parsed = parseFingerprint(sha256?.value ?? '');
  if (!parsed.ok) throw new Error('the browser gave this certificate no sha-256 fingerprint');
  return parsed.text;
}

/** The certificates kept in this page's storage (either may be missing). */
function read(storage: IDBFactory | undefined): Promise<Kept> {
  return withStorage(
    storage,
    async (store) => {
      const [current, next] = await Promise.all([
        request<unknown>(store.get(KEY)),
        request<unknown>(store.get(NEXT_KEY)),
      ]);
      return {
        current: current instanceof RTCCertificate ? current : null,
        next: next instanceof RTCCertificate ? next : null,
      };
    },
    'readonly',
  );
}

/** Keeps these certificates, in one transaction (no next: any kept next one goes). */
function write(
  storage: IDBFactory | undefined,
  kept: { current: RTCCertificate; next: RTCCertificate | null },
): Promise<void> {
  return withStorage(
    storage,
    async (store) => {
      await request(store.put(kept.current, KEY));
      await request(kept.next === null ? store.delete(NEXT_KEY) : store.put(kept.next, NEXT_KEY));
    },
    'readwrite',
  );
}

/**
 * Keeps `fresh` as a first identity, unless (first start in two pages at once) another page kept
 * one meanwhile: that one is answered, so both pages present the same identity.
 */
function keep(storage: IDBFactory | undefined, fresh: RTCCertificate, timing: RolloverTiming): Promise<RTCCertificate> {
  return withStorage(
    storage,
    async (store) => {
      const kept = await request<unknown>(store.get(KEY));
      if (kept instanceof RTCCertificate && rolloverStep(kept.expires, null, Date.now(), timing) !== 'renew')
        return kept;
      await request(store.put(fresh, KEY));
      await request(store.delete(NEXT_KEY));
      return fresh;
    },
    'readwrite',
  );
}

/** Runs `work` in one transaction of the identity store; the database is closed after it. */
async function withStorage<T>(
  storage: IDBFactory | undefined,
  work: (store: IDBObjectStore) => Promise<T>,
  mode: IDBTransactionMode,
): Promise<T> {
  if (storage === undefined) throw new Error('this browser has no IndexedDB here');
  const db = await timed(
    new Promise<IDBDatabase>((resolve, reject) => {
      const opening = storage.open(DB_NAME, 1);
      opening.onupgradeneeded = () => opening.result.createObjectStore(STORE);
      opening.onsuccess = () => resolve(opening.result);
      opening.onerror = () => reject(opening.error ?? new Error('IndexedDB did not open'));
      opening.onblocked = () => reject(new Error('IndexedDB is held by another page'));
    }),
  );
  try {
    const transaction = db.transaction(STORE, mode);
    const done = new Promise<void>((resolve, reject) => {
      transaction.oncomplete = () => resolve();
      transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB refused the change'));
      transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB gave up the change'));
    });
    // When `work` fails first, its error is the one said; the transaction's end is then no news.
    done.catch(() => undefined);
    const result = await timed(work(transaction.objectStore(STORE)));
    await timed(done);
    return result;
  } finally {
    db.close();
  }
}

function request<T>(req: IDBRequest): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result as T);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB refused the request'));
  });
}

function timed<T>(promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`IndexedDB did not answer within ${STORAGE_TIMEOUT_MS / 1000} s`)),
      STORAGE_TIMEOUT_MS,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function notKept(error: unknown): string {
  const why = error instanceof Error ? error.message : String(error);
  return `This site's identity could not be kept in the browser's storage (${why}): it is new with every start, so a partner that pins it refuses this site after a reload.`;
}

function log(event: string, fields: Record<string, unknown>): void {
  console.info(JSON.stringify({ event, ...fields }));
}
