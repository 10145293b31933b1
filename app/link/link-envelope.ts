// What a site puts in the protocol's `signal.data`. Every envelope names the session it belongs
// to, so messages from an older attempt are recognised and dropped.
//
//   { s, d }      a simple-peer signal (offer, answer, candidate, ...) for session `s`
//   { s, sync }   "my current session is `s`" (null: none). Sent when the partner (re)appears;
//                 a mismatch makes the offerer start a fresh session.
//   { s: null, closed: { opensAt, timezone } }
//                 "I am closed by my opening hours until opensAt (ms since 1970, null: not
//                 known), in my time zone". Any other envelope from a site says it is open.

import { z } from 'zod';

const SessionId = z.string().min(1).max(64);

export const LinkEnvelopeSchema = z.union([
  z.object({ s: SessionId, d: z.unknown().refine((value) => value !== undefined, 'is required') }),
  z.object({ s: SessionId.nullable(), sync: z.literal(true) }),
  z.object({
    s: z.null(),
    closed: z.object({ opensAt: z.number().int().min(0).nullable(), timezone: z.string().min(1).max(64) }),
  }),
]);

/** A site closed by its opening hours: when it opens, and its zone (to say it in its own time). */
export interface ClosedNote {
  readonly opensAt: number | null;
  readonly timezone: string;
}

export type LinkEnvelope =
  | { readonly s: string; readonly d: unknown }
  | { readonly s: string | null; readonly sync: true }
  | { readonly s: null; readonly closed: ClosedNote };

export function parseLinkEnvelope(value: unknown): LinkEnvelope | null {
  const parsed = LinkEnvelopeSchema.safeParse(value);
  return parsed.success ? (parsed.data as LinkEnvelope) : null;
}

/** simple-peer's first message of a negotiation: `{ type: 'offer', sdp }`. */
export function isOffer(data: unknown): boolean {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'offer';
}
