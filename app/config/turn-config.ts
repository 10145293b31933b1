// A TURN server that shares a secret with the signaling server: coturn's `use-auth-secret`, the
// "TURN REST API" scheme. The signaling server hands each site short-lived credentials made from
// the secret; the secret itself stays on the server. One shape and one set of limits for the
// config file (`signaling.turn`) and `portal serve --turn-url --turn-secret --turn-ttl`.

import { z } from 'zod';

/** At most this many TURN URLs (the same cap as a site's own iceServers). */
export const MAX_TURN_URLS = 16;
export const MAX_TURN_SECRET_LENGTH = 256;
/** How long a site's credentials stay valid, in seconds: a day unless told otherwise. */
export const DEFAULT_TURN_TTL_SECONDS = 86_400;
/** Below a minute a site would spend its link asking for credentials. */
export const MIN_TURN_TTL_SECONDS = 60;
/** A week: longer and a leaked credential stays good for longer than anyone would notice. */
export const MAX_TURN_TTL_SECONDS = 604_800;

/** `turn:HOST[:PORT][?transport=udp|tcp]` or `turns:...`; RTCIceServer takes nothing else with credentials. */
export const TURN_URL_PATTERN = /^turns?:\S+$/;
const turnUrlRule = 'must be a TURN URL starting with turn: or turns:';

export const TurnConfigSchema = z.object({
  urls: z.array(z.string().regex(TURN_URL_PATTERN, turnUrlRule)).min(1).max(MAX_TURN_URLS),
  secret: z.string().min(1).max(MAX_TURN_SECRET_LENGTH),
  ttl: z.number().int().min(MIN_TURN_TTL_SECONDS).max(MAX_TURN_TTL_SECONDS).default(DEFAULT_TURN_TTL_SECONDS),
});

export type TurnConfig = z.infer<typeof TurnConfigSchema>;
