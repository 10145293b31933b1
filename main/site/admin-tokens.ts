// The short-lived tokens that prove the admin PIN for the calls that read or change settings:
// each lasts 30 minutes, and an expired one is forgotten, not kept: every issue and every
// check first drops the expired ones, and no more than MAX_ADMIN_TOKENS live at once (the
// oldest goes), so months of unlocking leave nothing behind.

import { randomBytes } from 'node:crypto';

export const ADMIN_TOKEN_MS = 30 * 60_000;
/** More than any kiosk has overlays open at once (the demo has two pages). */
export const MAX_ADMIN_TOKENS = 8;

export class AdminTokens {
  /** Token to its expiry, in the order issued (a Map keeps insertion order). */
  private readonly expiries = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  /** How many are kept now (for tests and health, never the tokens). */
  get size(): number {
    this.prune();
    return this.expiries.size;
  }

  issue(): string {
    this.prune();
    const token = randomBytes(24).toString('base64url');
    this.expiries.set(token, this.now() + ADMIN_TOKEN_MS);
    while (this.expiries.size > MAX_ADMIN_TOKENS) this.expiries.delete(this.expiries.keys().next().value!);
    return token;
  }

  /** Whether `token` was issued and has not expired. */
  valid(token: string): boolean {
    this.prune();
    return this.expiries.has(token);
  }

  private prune(): void {
    const now = this.now();
    for (const [token, expires] of this.expiries) if (expires <= now) this.expiries.delete(token);
  }
}
