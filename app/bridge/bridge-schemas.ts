// What crosses the bridge between a kiosk host and its page, as schemas: each call's arguments
// (the host parses them before a handler runs) and result (the page parses it on arrival), and
// each event's payload from host to page. native-bridge/contract.ts is the contract built on
// these; they live in app/ because both sides run them: the renderer imports the contract only
// for its types.

import { z } from 'zod';
import { AdminSettingsSchema } from '../admin/admin-settings.js';
import { PairingSignalsSchema } from '../admin/pairing-signals.js';
import { PORTAL_STATES } from '../link/link-machine.js';
import { LinkSettingsSchema } from '../settings/registry.js';
import { NameSchema } from '../signaling/messages.js';
import { firstIssue } from '../validation/first-issue.js';
import { plainIssueMessage } from '../validation/plain-issue-message.js';

export const PortalStateReportSchema = z.object({
  state: z.enum(PORTAL_STATES),
  /** data-portal-error while the state is `error`, else null. */
  error: z
    .string()
    .regex(/^[a-z-]{1,32}$/, 'must be an error code such as room-full')
    .nullable(),
  /** The partner in the room as this page sees it; null when none is there. */
  partner: z
    .object({ site: NameSchema, state: z.enum(PORTAL_STATES) })
    .nullable()
    .optional(),
  /** New sessions this page opened because one failed (the repair step `session`), since it loaded. */
  sessionRepairs: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  /** While this site is closed by its opening hours: when it opens (ms since 1970), else null. */
  closedUntil: z.number().int().min(0).nullable().optional(),
});
export type PortalStateReport = z.infer<typeof PortalStateReportSchema>;

/** What an unlocked admin overlay holds: proof of the PIN for the calls that change things. */
const TokenSchema = z.object({ token: z.string().min(16).max(128) });
const Token = z.object({ token: z.string() });
// A call that answers nothing: null over HTTP, undefined over Electron IPC.
const Nothing = z.union([z.null(), z.undefined()]).transform(() => null);

export const BRIDGE_SCHEMAS = {
  /** The renderer's heartbeat: its page state, at least every few seconds. */
  reportState: { args: PortalStateReportSchema, result: Nothing },
  /** Closed with closedDisplay `off`: the display may sleep (false), or must be on (true). */
  setDisplayPower: { args: z.object({ on: z.boolean() }), result: Nothing },
  /** The settings the renderer runs with, from the host's config file. */
  getSettings: {
    args: z.null(),
    result: z.object({ settings: LinkSettingsSchema, warning: z.string().nullable() }),
  },
  /** Whether an admin PIN is set, and how long the overlay stays locked. */
  adminStatus: { args: z.null(), result: z.object({ pinSet: z.boolean(), lockedMs: z.number().min(0) }) },
  /** Sets the first PIN (refused once one is set); answers with a token. */
  setPin: { args: z.object({ pin: z.string().max(64) }), result: Token },
  /** Checks a PIN: a token, or how long the overlay is locked and how many tries are left. */
  unlock: {
    args: z.object({ pin: z.string().max(64) }),
    result: z.union([
      z.object({ ok: z.literal(true), token: z.string() }),
      z.object({ ok: z.literal(false), lockedMs: z.number().min(0), triesLeft: z.number().int().min(0) }),
    ]),
  },
  /**
   * The settings as the overlay edits them, and the signaling URLs a partner might use, best
   * first, each with its interface (`pairingSignals`); `pairingSignal` is the first of them (null:
   * none), as hosts answered before there was a list.
   */
  getAdminSettings: {
    args: TokenSchema,
    result: z
      .object({
        settings: AdminSettingsSchema,
        pairingSignal: z.string().nullable(),
        pairingSignals: PairingSignalsSchema,
      })
      .refine((answer) => answer.pairingSignal === (answer.pairingSignals[0]?.url ?? null), {
        message: 'must be the first of pairingSignals',
        path: ['pairingSignal'],
      }),
  },
  /** Saves settings into the config file; answers with the renderer's new settings. */
  saveAdminSettings: {
    args: TokenSchema.extend({ settings: AdminSettingsSchema }),
    result: z.object({ settings: LinkSettingsSchema, restartRequired: z.boolean() }),
  },
  /** The last log lines of the host. */
  getLogs: { args: TokenSchema, result: z.object({ lines: z.array(z.string()) }) },
  /** Restarts the kiosk host (needed after changing the hosted server's port). */
  restart: { args: TokenSchema, result: Nothing },
} as const;

/** What a host tells its page without being asked. */
export const BRIDGE_EVENT_SCHEMAS = {
  /** The settings the page runs with changed at the host (saved from the overlay, or the file). */
  settingsChanged: z.object({ settings: LinkSettingsSchema }),
} as const;

export type BridgeCall = keyof typeof BRIDGE_SCHEMAS;
export type BridgeEvent = keyof typeof BRIDGE_EVENT_SCHEMAS;
export type BridgeArgs<C extends BridgeCall> = z.infer<(typeof BRIDGE_SCHEMAS)[C]['args']>;
export type BridgeResult<C extends BridgeCall> = z.infer<(typeof BRIDGE_SCHEMAS)[C]['result']>;
export type BridgePayload<E extends BridgeEvent> = z.infer<(typeof BRIDGE_EVENT_SCHEMAS)[E]>;

export type BridgeParse<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

function parseWith(schema: z.ZodType, value: unknown, what: string, whole: string): BridgeParse<unknown> {
  const parsed = schema.safeParse(value, { error: plainIssueMessage });
  if (parsed.success) return { ok: true, value: parsed.data };
  const { field, message } = firstIssue(parsed.error, whole);
  return { ok: false, error: `${what}: \`${field}\` ${message}.` };
}

/** A call's arguments, as the host receives them; a refusal names the call and the field. */
export function parseBridgeArgs<C extends BridgeCall>(call: C, args: unknown): BridgeParse<BridgeArgs<C>> {
  return parseWith(BRIDGE_SCHEMAS[call].args, args, `Bridge call ${call}`, 'arguments') as BridgeParse<BridgeArgs<C>>;
}

/** A call's result, as the page receives it. */
export function parseBridgeResult<C extends BridgeCall>(call: C, result: unknown): BridgeParse<BridgeResult<C>> {
  return parseWith(BRIDGE_SCHEMAS[call].result, result, `The answer to ${call}`, 'result') as BridgeParse<
    BridgeResult<C>
  >;
}

/** An event's payload, as the page receives it. */
export function parseBridgePayload<E extends BridgeEvent>(event: E, payload: unknown): BridgeParse<BridgePayload<E>> {
  return parseWith(BRIDGE_EVENT_SCHEMAS[event], payload, `The event ${event}`, 'payload') as BridgeParse<
    BridgePayload<E>
  >;
}
