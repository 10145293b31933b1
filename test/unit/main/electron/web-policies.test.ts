import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../app/log/logger.js';
import { applyNavigationPolicy, applyPermissionPolicy } from '../../../../main/electron/web-policies.js';

type RequestHandler = (
  wc: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details: { requestingUrl: string },
) => void;
type CheckHandler = (wc: unknown, permission: string, origin: string) => boolean;

function fakeSession() {
  const session = { request: null as RequestHandler | null, check: null as CheckHandler | null };
  applyPermissionPolicy(
    {
      setPermissionRequestHandler: (handler: unknown) => void (session.request = handler as RequestHandler),
      setPermissionCheckHandler: (handler: unknown) => void (session.check = handler as CheckHandler),
    } as never,
    silentLogger,
  );
  const request = (permission: string, url: string) => {
    let granted: boolean | null = null;
    session.request!(null, permission, (value) => (granted = value), { requestingUrl: url });
    return granted;
  };
  return { request, check: (permission: string, origin: string) => session.check!(null, permission, origin) };
}

describe('the permission policy', () => {
  it("grants camera and microphone to Portal's own page only", () => {
    const { request, check } = fakeSession();
    expect(request('media', 'app://portal/index.html')).toBe(true);
    expect(request('media', 'https://evil.example/')).toBe(false);
    expect(check('media', 'app://portal')).toBe(true);
    expect(check('media', 'http://127.0.0.1:8787')).toBe(false);
  });

  it("refuses everything else, even to Portal's page", () => {
    const { request, check } = fakeSession();
    for (const permission of ['geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
      expect(request(permission, 'app://portal/')).toBe(false);
      expect(check(permission, 'app://portal')).toBe(false);
    }
  });
});

describe('the navigation policy', () => {
  function fakeContents() {
    const listeners = new Map<string, (event: { preventDefault(): void }, url: string) => void>();
    let openHandler: ((details: { url: string }) => { action: string }) | null = null;
    applyNavigationPolicy(
      {
        on: (name: string, listener: never) => void listeners.set(name, listener),
        setWindowOpenHandler: (handler: never) => void (openHandler = handler),
      } as never,
      silentLogger,
    );
    const navigate = (url: string) => {
      let prevented = false;
      listeners.get('will-navigate')!({ preventDefault: () => (prevented = true) }, url);
      return prevented;
    };
    return { navigate, open: (url: string) => openHandler!({ url }) };
  }

  it("stays on Portal's page and opens no windows", () => {
    const { navigate, open } = fakeContents();
    expect(navigate('app://portal/index.html?room=r')).toBe(false);
    expect(navigate('https://evil.example/')).toBe(true);
    expect(navigate('file:///etc/passwd')).toBe(true);
    expect(open('app://portal/')).toEqual({ action: 'deny' });
    expect(open('https://example.com/')).toEqual({ action: 'deny' });
  });
});
