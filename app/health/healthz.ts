// What `GET /healthz` answers (docs/surface.md#health), as a schema: the kiosk hosts build their
// `kiosks` entries to this type and `portal status` parses an answer from afar with it. Fields
// that came with the health work are optional to the parser, so a status from a newer Portal
// still reads an older one.

import { z } from 'zod';
import { NameSchema } from '../signaling/messages.js';

const Count = z.number().int().min(0);

/** The repair steps a kiosk's health counts, smallest first (docs/architecture.md#the-repair-ladder). */
export const REPAIR_STEPS = ['session', 'reload', 'restart'] as const;
export type RepairStep = (typeof REPAIR_STEPS)[number];

// A state is a word, not one of PORTAL_STATES: a newer kiosk may know one this Portal does not.
const State = z.string().regex(/^[a-z-]{1,32}$/, 'must be a page state such as live');

export const KioskEntrySchema = z.object({
  site: NameSchema,
  shell: z.string().max(32),
  state: State,
  restarts: Count,
  heartbeatAgeSeconds: Count.nullable(),
  /** The partner as this kiosk's page sees it; null when none is in the room. */
  partner: z.object({ site: NameSchema, state: State }).nullable().optional(),
  /** When the page was last seen live (ISO 8601), null if never since the host started. */
  lastLiveAt: z.iso.datetime().nullable().optional(),
  /** Seconds the page was live in the last 24 h. */
  liveSeconds: z.number().min(0).max(86_400).optional(),
  /** Repairs since the host started, by step; `restart` is `restarts`. */
  repairs: z.object({ session: Count, reload: Count, restart: Count }).optional(),
  /** While the site is closed by its opening hours: when it opens (ISO 8601), else null. */
  opensAt: z.iso.datetime().nullable().optional(),
  /** Daily reloads of the page while the site was closed (not repairs). */
  quietReloads: Count.optional(),
});
export type KioskEntry = z.infer<typeof KioskEntrySchema>;

export const HealthzSchema = z.object({
  status: z.literal('ok'),
  uptimeSeconds: Count,
  rooms: Count,
  sites: Count,
  connections: Count,
  /** A kiosk host's displays; absent from `portal serve`. */
  kiosks: z.array(KioskEntrySchema).max(64).optional(),
});
export type Healthz = z.infer<typeof HealthzSchema>;
