// What applying new settings takes, from each setting's `apply` step in the registry, so the
// overlay can say so before it happens and the page does no more than it must: the picture
// changes on screen; bitrate and degradation go to the live senders; a new size, frame rate or
// device is swapped into the running call; a codec, relay, ICE or sound change needs a new
// session; a new site, room, key or server starts over.

import { PAGE_SETTING_NAMES, settingOf, type LinkSettings } from '../settings/registry.js';
import { APPLY_STEPS, type ApplyStep } from '../settings/setting.js';

export type ApplyPlan = { readonly [S in ApplyStep]: boolean } & { readonly changed: readonly (keyof LinkSettings)[] };

export function applyPlan(before: LinkSettings, after: LinkSettings): ApplyPlan {
  const changed = PAGE_SETTING_NAMES.filter((name) => JSON.stringify(before[name]) !== JSON.stringify(after[name]));
  const steps = Object.fromEntries(
    APPLY_STEPS.map((step) => [step, changed.some((name) => settingOf(name).apply === step)]),
  ) as { [S in ApplyStep]: boolean };
  return { ...steps, changed };
}

/** The sentence shown by Apply before it is pressed, when applying interrupts the picture. */
export function applyNotice(plan: ApplyPlan): string | null {
  if (plan.link) return 'Applying reconnects the portal with the new link settings: the picture stops for a moment.';
  if (plan.session) {
    const what = plan.changed.filter((name) => settingOf(name).apply === 'session').join(', ');
    return `Applying starts a new call (${what} changed): the picture stops for a few seconds.`;
  }
  return null;
}
