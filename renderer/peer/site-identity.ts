// This site's identity: one ECDSA P-256 RTCCertificate that every session presents in its DTLS
// handshake, so a partner can pin its fingerprint. Generated once and kept in this page's
// IndexedDB (an RTCCertificate is structured-cloneable), so it survives reloads, restarts and
// reboots of the kiosk's profile; a new one only when an admin asks, or when it is about to
// expire (Chromium gives a certificate a year at most: app/identity/fingerprint.ts). Storage that
// fails does not stop the portal: the page runs with a certificate of its own for this load, and
// says so.

import { IDENTITY_LIFETIME_MS, identityNeedsRenewal, parseFingerprint } from '../../app/identity/fingerprint.js';
import type { Disposable } from '../lifecycle/disposables.js';

const DB_NAME = 'portal-identity';
const STORE = 'identity';
const KEY = 'certificate';
/** IndexedDB that neither opens nor fails (a profile whose storage hangs) is given up after this. */
const STORAGE_TIMEOUT_MS = 3_000;
/** How often a running page looks at its certificate's expiry (a 24/7 page may run for months). */
const EXPIRY_CHECK_MS = 60 * 60 * 1_000;

export interface IdentityInfo {
  /** sha-256, upper-case hex, colon-separated, as in SDP. */
  readonly fingerprint: string;
  /** When the certificate expires (ms since 1970). */
  readonly expires: number;
  /** Kept in this browser's storage: the same after a reload. */
  readonly kept: boolean;
  /** Why it is not kept, in a sentence; null when it is. */
  readonly problem: string | null;
}

export class SiteIdentity implements Disposable {
  private readonly listeners = new Set<(info: IdentityInfo) => void>();
  private readonly check: ReturnType<typeof setInterval>;
  private renewing: Promise<void> | null = null;

  private constructor(
    private current: RTCCertificate,
    private state: IdentityInfo,
    private readonly storage: IDBFactory | undefined,
  ) {
    this.check = setInterval(() => {
      if (identityNeedsRenewal(this.current.expires, Date.now())) void this.renew('expiring');
    }, EXPIRY_CHECK_MS);
  }

  /**
   * This site's identity: the kept one, or a new one (kept where storage allows). Null only when
   * the browser cannot make a certificate at all; sessions then run with the browser's own.
   */
  static async load(storage: IDBFactory | undefined = globalThis.indexedDB): Promise<SiteIdentity | null> {
    let problem: string | null = null;
    try {
      const kept = await withStorage(storage, (store) => request<unknown>(store.get(KEY)), 'readonly');
      if (kept instanceof RTCCertificate && !identityNeedsRenewal(kept.expires, Date.now())) {
        return new SiteIdentity(kept, info(kept, null), storage);
      }
      if (kept instanceof RTCCertificate) log('identity-expiring', { expires: new Date(kept.expires).toISOString() });
    } catch (error) {
      problem = notKept(error);
    }
    const fresh = await generate().catch((error: unknown) => {
      console.error(JSON.stringify({ event: 'identity-failed', message: String(error) }));
      return null;
    });
    if (fresh === null) return null;
    const certificate =
      problem === null
        ? await keep(storage, fresh).catch((error: unknown) => {
            problem = notKept(error);
            return fresh;
          })
        : fresh;
    const identity = new SiteIdentity(certificate, info(certificate, problem), storage);
    log(problem === null ? 'identity-created' : 'identity-not-kept', {
      fingerprint: identity.fingerprint,
      ...(problem === null ? {} : { problem }),
    });
    return identity;
  }

  get certificate(): RTCCertificate {
    return this.current;
  }

  get fingerprint(): string {
    return this.state.fingerprint;
  }

  get info(): IdentityInfo {
    return this.state;
  }

  /** Called with the new identity after a renewal; answers with a way to stop. */
  onChange(listener: (info: IdentityInfo) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * A new certificate in place of this one, kept as the old one was: an admin asked for it, or
   * it is about to expire. A partner that pinned the old fingerprint refuses this site after it.
   */
  renew(reason: 'asked' | 'expiring'): Promise<void> {
    this.renewing ??= (async () => {
      const fresh = await generate();
      let problem: string | null = null;
      const certificate = await keep(this.storage, fresh, { replace: true }).catch((error: unknown) => {
        problem = notKept(error);
        return fresh;
      });
      const previous = this.state.fingerprint;
      this.current = certificate;
      this.state = info(certificate, problem);
      log('identity-renewed', { reason, from: previous, to: this.state.fingerprint, kept: problem === null });
      for (const listener of this.listeners) listener(this.state);
    })().finally(() => (this.renewing = null));
    return this.renewing;
  }

  dispose(): void {
    clearInterval(this.check);
    this.listeners.clear();
  }
}

function generate(): Promise<RTCCertificate> {
  // Chromium clamps `expires` to a year and defaults to 30 days; asked for a year, it gives one.
  return RTCPeerConnection.generateCertificate({
    name: 'ECDSA',
    namedCurve: 'P-256',
    expires: IDENTITY_LIFETIME_MS,
  } as AlgorithmIdentifier);
}

function fingerprintOf(certificate: RTCCertificate): string {
  const sha256 = certificate.getFingerprints().find((f) => f.algorithm?.toLowerCase() === 'sha-256');
  const parsed = parseFingerprint(sha256?.value ?? '');
  if (!parsed.ok) throw new Error('the browser gave this certificate no sha-256 fingerprint');
  return parsed.text;
}

function info(certificate: RTCCertificate, problem: string | null): IdentityInfo {
  return { fingerprint: fingerprintOf(certificate), expires: certificate.expires, kept: problem === null, problem };
}

/**
 * Keeps `fresh`, unless (first start in two pages at once) another page kept one meanwhile: that
 * one is answered, so both pages present the same identity. `replace` keeps `fresh` regardless.
 */
function keep(
  storage: IDBFactory | undefined,
  fresh: RTCCertificate,
  options: { readonly replace?: boolean } = {},
): Promise<RTCCertificate> {
  return withStorage(
    storage,
    async (store) => {
      const kept = options.replace ? undefined : await request<unknown>(store.get(KEY));
      if (kept instanceof RTCCertificate && !identityNeedsRenewal(kept.expires, Date.now())) return kept;
      await request(store.put(fresh, KEY));
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
