// Short-lived TURN credentials in the "TURN REST API" scheme (draft-uberti-behave-turn-rest),
// exactly what coturn checks with `--use-auth-secret --static-auth-secret=SECRET`: the username
// is `EXPIRY:SITE` (EXPIRY in Unix seconds), the credential base64(HMAC-SHA1(SECRET, username)).
// coturn recomputes the HMAC with its own copy of the secret and refuses a username whose EXPIRY
// has passed, so a site only ever holds something that stops working by itself.

import { createHmac } from 'node:crypto';
import { MAX_TURN_TTL_SECONDS } from '../../app/config/turn-config.js';
import type { IceServer } from '../../app/signaling/messages.js';

/** A TURN server that shares `secret` with this one (the config file's `signaling.turn`). */
export interface TurnOptions {
  /** turn: and turns: URLs, all of one TURN server (or of several sharing the secret). */
  readonly urls: readonly string[];
  readonly secret: string;
  /** Seconds each credential stays valid. */
  readonly ttl: number;
}

export interface TurnCredential {
  readonly username: string;
  readonly credential: string;
  /** Unix seconds after which the TURN server refuses it. */
  readonly expiresAt: number;
}

/** The credential for `site` that expires at `expiresAt` (Unix seconds). */
export function turnCredential(secret: string, site: string, expiresAt: number): TurnCredential {
  const username = `${expiresAt}:${site}`;
  const credential = createHmac('sha1', secret).update(username, 'utf8').digest('base64');
  return { username, credential, expiresAt };
}

export class TurnCredentialIssuer {
  readonly ttlSeconds: number;
  private readonly urls: readonly string[];
  private readonly secret: string;

  /**
   * `clock` is wall time in milliseconds since 1970 (Date.now), which the TURN server compares
   * EXPIRY with. The ttl may be as short as a second here, for tests; the config file and the
   * command line ask for at least MIN_TURN_TTL_SECONDS.
   */
  constructor(
    turn: TurnOptions,
    private readonly clock: () => number = () => Date.now(),
  ) {
    if (turn.urls.length === 0) throw new Error('TURN needs at least one turn: or turns: URL.');
    if (turn.secret.length === 0) throw new Error('The TURN secret must not be empty.');
    if (!Number.isInteger(turn.ttl) || turn.ttl < 1 || turn.ttl > MAX_TURN_TTL_SECONDS) {
      throw new Error(
        `The TURN credential lifetime must be a whole number of seconds from 1 to ${MAX_TURN_TTL_SECONDS}.`,
      );
    }
    this.urls = [...turn.urls];
    this.secret = turn.secret;
    this.ttlSeconds = turn.ttl;
  }

  /**
   * One RTCIceServer holding every TURN URL, with credentials for `site` good for at least
   * ttlSeconds from now: the expiry is rounded up to the next whole second, never down.
   */
  iceServerFor(site: string): IceServer {
    const expiresAt = Math.ceil(this.clock() / 1000) + this.ttlSeconds;
    const { username, credential } = turnCredential(this.secret, site, expiresAt);
    return { urls: [...this.urls], username, credential };
  }
}
