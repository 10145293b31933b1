// What applying new settings takes, so the overlay can say so before it happens and the page
// does no more than it must: the picture changes on screen; a new size, frame rate or device
// is swapped into the running call; bitrate and degradation go to the live senders; a codec,
// relay, ICE or sound change needs a new session; a new site, room, key or server reconnects.

import type { LinkSettings } from '../config/link-settings.js';

export const APPLY_GROUPS = {
  link: ['site', 'room', 'key', 'signal'],
  session: ['codec', 'relay', 'iceServers', 'audio'],
  capture: ['camera', 'microphone', 'width', 'height', 'fps'],
  sending: ['maxBitrate', 'degradation'],
  picture: ['mirror', 'rotation', 'fit', 'preview', 'volume', 'speaker'],
} as const satisfies Record<string, ReadonlyArray<keyof LinkSettings>>;

export type ApplyGroup = keyof typeof APPLY_GROUPS;

export type ApplyPlan = { readonly [G in ApplyGroup]: boolean } & { readonly changed: readonly (keyof LinkSettings)[] };

export function applyPlan(before: LinkSettings, after: LinkSettings): ApplyPlan {
  const changed = (Object.keys(after) as (keyof LinkSettings)[]).filter(
    (name) => JSON.stringify(before[name]) !== JSON.stringify(after[name]),
  );
  const touches = (group: ApplyGroup) => APPLY_GROUPS[group].some((name) => changed.includes(name));
  return {
    link: touches('link'),
    session: touches('session'),
    capture: touches('capture'),
    sending: touches('sending'),
    picture: touches('picture'),
    changed,
  };
}

/** The sentence shown by Apply before it is pressed, when applying interrupts the picture. */
export function applyNotice(plan: ApplyPlan): string | null {
  if (plan.link) return 'Applying reconnects the portal with the new link settings: the picture stops for a moment.';
  if (plan.session) {
    const what = APPLY_GROUPS.session.filter((name) => plan.changed.includes(name)).join(', ');
    return `Applying starts a new call (${what} changed): the picture stops for a few seconds.`;
  }
  return null;
}
