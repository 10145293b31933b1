// Portal's renderer is loaded from its own scheme, app://portal/, never from the network.

export const PORTAL_SCHEME = 'app';
export const PORTAL_HOST = 'portal';
export const PORTAL_ORIGIN = `${PORTAL_SCHEME}://${PORTAL_HOST}`;

export function isPortalUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${PORTAL_SCHEME}:` && parsed.host === PORTAL_HOST;
  } catch {
    return false;
  }
}
