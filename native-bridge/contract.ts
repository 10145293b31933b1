// The typed contract between a host (Electron main, or the supervised-Chromium host over HTTP)
// and the renderer: one entry per call, its arguments as a schema. Adding a call is adding an
// entry here; the host's one wrapper parses every payload with it before a handler runs.

import { z } from 'zod';
import { AdminSettingsSchema } from '../app/admin/admin-settings.js';
import { PORTAL_STATES } from '../app/link/link-machine.js';
import { firstIssue } from '../app/validation/first-issue.js';
import { plainIssueMessage } from '../app/validation/plain-issue-message.js';
import { BRIDGE_CALL_NAMES, type BridgeCallName } from './channels.js';

export { bridgeChannel } from './channels.js';

export const PortalStateReportSchema = z.object({
  state: z.enum(PORTAL_STATES),
  /** data-portal-error while the state is `error`, else null. */
  error: z
    .string()
    .regex(/^[a-z-]{1,32}$/, 'must be an error code such as room-full')
    .nullable(),
});
export type PortalStateReport = z.infer<typeof PortalStateReportSchema>;

/** What an unlocked admin overlay holds: proof of the PIN for the calls that change things. */
const TokenSchema = z.object({ token: z.string().min(16).max(128) });

export const BRIDGE_CONTRACT = {
  /** The renderer's heartbeat: its page state, at least every few seconds. */
  reportState: { args: PortalStateReportSchema },
  /** The settings the renderer runs with, from the host's config file. */
  getSettings: { args: z.null() },
  /** Whether an admin PIN is set, and how long the overlay stays locked. */
  adminStatus: { args: z.null() },
  /** Sets the first PIN (refused once one is set); answers with a token. */
  setPin: { args: z.object({ pin: z.string().max(64) }) },
  /** Checks a PIN: a token, or how long the overlay is locked and how many tries are left. */
  unlock: { args: z.object({ pin: z.string().max(64) }) },
  /** The settings as the overlay edits them, and the signaling URL a partner should use. */
  getAdminSettings: { args: TokenSchema },
  /** Saves settings into the config file; answers with the renderer's new settings. */
  saveAdminSettings: { args: TokenSchema.extend({ settings: AdminSettingsSchema }) },
  /** The last log lines of the host. */
  getLogs: { args: TokenSchema },
  /** Restarts the kiosk host (needed after changing the hosted server's port). */
  restart: { args: TokenSchema },
} as const satisfies { readonly [C in BridgeCallName]: { readonly args: z.ZodType } };

export type BridgeCall = keyof typeof BRIDGE_CONTRACT;
export type BridgeArgs<C extends BridgeCall> = z.infer<(typeof BRIDGE_CONTRACT)[C]['args']>;
export const BRIDGE_CALLS: readonly BridgeCall[] = BRIDGE_CALL_NAMES;

/** What a host does for each call, with arguments already parsed. Both transports take these. */
export type BridgeHandlers = { readonly [C in BridgeCall]: (args: BridgeArgs<C>) => unknown };

/** What the Electron preload puts on `window.portal`: one verb per call. */
export type PortalBridgeApi = { readonly [C in BridgeCall]: (args: BridgeArgs<C>) => Promise<unknown> };

export type BridgeParse<C extends BridgeCall> =
  { readonly ok: true; readonly args: BridgeArgs<C> } | { readonly ok: false; readonly error: string };

export function isBridgeCall(value: string): value is BridgeCall {
  return Object.hasOwn(BRIDGE_CONTRACT, value);
}

/** Parses a call's arguments; a refusal names the call and the field. */
export function parseBridgeArgs<C extends BridgeCall>(call: C, args: unknown): BridgeParse<C> {
  const parsed = BRIDGE_CONTRACT[call].args.safeParse(args, { error: plainIssueMessage });
  if (parsed.success) return { ok: true, args: parsed.data as BridgeArgs<C> };
  const { field, message } = firstIssue(parsed.error, 'arguments');
  return { ok: false, error: `Bridge call ${call}: \`${field}\` ${message}.` };
}
