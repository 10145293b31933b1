// What the kiosk window may do: media (camera, microphone) for Portal's own page and nothing
// else; no navigation away, no new windows.

import type { Session, WebContents } from 'electron';
import type { Logger } from '../../app/log/logger.js';
import { isPortalUrl } from './portal-origin.js';

type PermissionSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>;

export function applyPermissionPolicy(session: PermissionSession, logger: Logger): void {
  session.setPermissionRequestHandler((_webContents, permission, callback, details) => {
    const granted = permission === 'media' && isPortalUrl(details.requestingUrl);
    if (!granted) logger.warn('permission-refused', { permission, url: details.requestingUrl });
    callback(granted);
  });
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin) => {
    return permission === 'media' && isPortalUrl(requestingOrigin);
  });
}

type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

export function applyNavigationPolicy(contents: GuardedContents, logger: Logger): void {
  contents.on('will-navigate', (event, url) => {
    if (isPortalUrl(url)) return;
    event.preventDefault();
    logger.warn('navigation-refused', { url });
  });
  contents.setWindowOpenHandler(({ url }) => {
    logger.warn('window-refused', { url });
    return { action: 'deny' };
  });
}
