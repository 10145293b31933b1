import { describe, expect, it } from 'vitest';
import { applyNotice, applyPlan } from '../../../../app/admin/apply-plan.js';
import { parseLinkSettings, type LinkSettings } from '../../../../app/config/link-settings.js';

const base = (() => {
  const parsed = parseLinkSettings({ room: 'lobby', site: 'dublin', key: 'k' });
  if (!parsed.ok) throw new Error('bad fixture');
  return parsed.settings;
})();
const plan = (change: Partial<LinkSettings>) => applyPlan(base, { ...base, ...change });

describe('what applying settings takes', () => {
  it('keeps the call for a new resolution, bitrate or picture, and says nothing first', () => {
    const p = plan({ width: 640, height: 480, maxBitrate: 800, mirror: true });
    expect(p).toMatchObject({ link: false, session: false, capture: true, sending: true, picture: true });
    expect(p.changed).toEqual(['width', 'height', 'mirror', 'maxBitrate']);
    expect(applyNotice(p)).toBeNull();
  });

  it('says before applying that a codec or relay change starts a new call', () => {
    const p = plan({ codec: 'VP9', relay: true });
    expect(p.session).toBe(true);
    expect(applyNotice(p)).toBe(
      'Applying starts a new call (relay, codec changed): the picture stops for a few seconds.',
    );
  });

  it('says that new link settings reconnect', () => {
    expect(applyNotice(plan({ room: 'hall' }))).toMatch(/^Applying reconnects the portal/);
  });

  it('sees no change in equal settings, ICE server lists included', () => {
    const same = applyPlan(
      { ...base, iceServers: [{ urls: 'stun:a' }] },
      { ...base, iceServers: [{ urls: 'stun:a' }] },
    );
    expect(same.changed).toEqual([]);
  });
});
