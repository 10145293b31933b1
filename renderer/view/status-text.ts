// The words on each screen, for a person across the room.

import type { LinkSettings } from '../../app/config/link-settings.js';
import { portalStateOf, type LinkState } from '../../app/link/link-machine.js';
import { ownClosedText, partnerClosedText } from '../../app/schedule/hours-text.js';
import { zoneOf } from '../../app/schedule/opening-hours.js';
import type { StatusText } from './status-view.js';

const REFUSALS: Record<string, StatusText> = {
  unauthorized: {
    title: 'The room key was refused',
    detail: 'Check the room name and key at both sites. Portal keeps trying every 30 seconds.',
  },
  'room-full': {
    title: 'The room is full',
    detail: 'Two other sites are in this room. Use another room name. Portal keeps trying every 30 seconds.',
  },
  replaced: {
    title: 'This site opened elsewhere',
    detail:
      'Another screen joined with the same site name, so this one stepped aside. Portal takes the place back in 5 minutes; give each screen its own site name.',
  },
};

/** A partner whose certificate is not the pinned one (data-portal-error `fingerprint`). */
const UNTRUSTED: StatusText = {
  title: 'The partner site is not the one this portal was paired with.',
  detail: 'Pair again from the settings.',
};

export function statusText(
  state: LinkState,
  settings: LinkSettings,
  cameraProblem: string | null,
  serverMessage: string | null,
  now = Date.now(),
): StatusText {
  const partner = state.partner ?? 'the partner site';
  switch (portalStateOf(state)) {
    case 'starting':
      return { title: 'Starting', detail: '' };
    case 'no-camera':
      return { title: 'No camera', detail: cameraProblem ?? 'No camera is connected.' };
    case 'connecting':
      return { title: 'Connecting', detail: `Reaching the signaling server for room ${settings.room}...` };
    case 'waiting':
      return {
        title: `Waiting for the partner`,
        detail: `${settings.site} is in room ${settings.room}.\nThe other site has not joined yet.`,
      };
    case 'negotiating':
      return { title: `Connecting to ${partner}`, detail: 'Setting up the video link...' };
    case 'reconnecting':
      return { title: 'Reconnecting', detail: reconnectingDetail(state, partner) };
    case 'live':
      return { title: 'Live', detail: '' };
    case 'closed':
      if (state.closed !== null) return { title: ownClosedText(state.closed, now), detail: '' };
      return {
        title: partnerClosedText(partner, state.partnerClosed!, zoneOf(settings.timezone), now),
        detail: '',
      };
    case 'error': {
      if (state.refused === null && state.untrusted !== null) return UNTRUSTED;
      const code = state.refused?.code ?? '';
      const known = REFUSALS[code];
      return known ?? { title: 'The server refused this site', detail: serverMessage ?? code };
    }
  }
}

/** What a reconnecting site waits for, in the order it has to come back. */
function reconnectingDetail(state: LinkState, partner: string): string {
  const stalled = state.session?.media === 'stalled';
  if (state.signaling !== 'joined')
    return stalled
      ? `The picture from ${partner} stopped and the signaling server does not answer: waiting for the network to come back.`
      : 'The signaling server cannot be reached; retrying.';
  if (stalled) return `The picture from ${partner} stopped: waiting for the connection to come back.`;
  if (state.partner === null) return `${partner} dropped off the network: waiting for it to come back.`;
  return `Lost the video link to ${partner}; starting a new call.`;
}
