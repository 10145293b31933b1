// Chromium's managed policies for the kiosk, as `portal install-autostart` writes them: no
// developer tools, downloads, printing or other pages, and no way into another profile, a guest
// or incognito window. The browser reads every JSON file in its managed policy directory when
// it starts, for every user and profile on the machine: this makes that browser a kiosk-only
// browser. Names and values as Chromium's policy list has them
// (https://chromeenterprise.google/policies/); Chromium 156 shows each as OK on chrome://policy
// (its AutofillAddressEnabled and AutofillCreditCardEnabled are deprecated, so left out: the
// page has no such form anyway).

import { basename, join } from 'node:path';

export const POLICY_FILE_NAME = 'portal-kiosk.json';

export interface PolicyTarget {
  /** The browser, as a person knows it. */
  readonly browser: string;
  /** Its managed (mandatory) policy directory. */
  readonly dir: string;
}

/**
 * Where each browser reads its managed policies: Chromium builds /etc/chromium/policies,
 * Google Chrome /etc/opt/chrome/policies (docs/enterprise/policies.md in Chromium's source),
 * Ubuntu's chromium-browser and its snap /etc/chromium-browser/policies.
 */
export function policyTargetFor(browserPath: string): PolicyTarget {
  const name = basename(browserPath);
  if (/chrome/.test(name)) return { browser: 'Google Chrome', dir: '/etc/opt/chrome/policies/managed' };
  if (name === 'chromium-browser' || browserPath.startsWith('/snap/')) {
    return { browser: "Ubuntu's Chromium", dir: '/etc/chromium-browser/policies/managed' };
  }
  return { browser: 'Chromium', dir: '/etc/chromium/policies/managed' };
}

/**
 * The policies, for a kiosk page at http://127.0.0.1:`port`. Blocking every URL but the
 * kiosk's stops navigations only (Chromium's PolicyBlocklistNavigationThrottle): the page's
 * WebSocket to its signaling server, its fetches and WebRTC's ICE and TURN are not navigations
 * and go on.
 */
export function kioskPolicy(port: number): Readonly<Record<string, unknown>> {
  return {
    // F12, Ctrl+Shift+I/J/C, Ctrl+U (view source), chrome://inspect; also the DevTools protocol
    // on the page's target (attaching answers "Not allowed"), while the browser-wide commands
    // still work (Target.createTarget and closeTarget, Browser.getWindowForTarget and
    // setWindowBounds, Emulation.getScreenInfos): the kiosk host uses only those
    // (main/chromium/kiosk-page.ts), so it opens, reloads and places its page as without it.
    DeveloperToolsAvailability: 2,
    DownloadRestrictions: 3, // every download blocked, Ctrl+S included
    PrintingEnabled: false, // Ctrl+P
    // Navigation to nothing but the kiosk's page (the ?reload=... it gets included) and the
    // blank page a browser starts on: no link, dropped or typed URL, no file://. A bare "*"
    // leaves Chromium's own pages open (Ctrl+H history, Ctrl+J downloads, Ctrl+Shift+O
    // bookmarks, Ctrl+Shift+Delete settings, seen in Chromium 156): they are named.
    URLBlocklist: ['*', 'chrome://*', 'chrome-untrusted://*', 'devtools://*', 'view-source:*', 'file://*'],
    URLAllowlist: [`http://127.0.0.1:${port}`, 'about:blank'],
    IncognitoModeAvailability: 1, // Ctrl+Shift+N
    BrowserGuestModeEnabled: false, // no guest window from the profile menu
    BrowserAddPersonEnabled: false, // nor a new profile
    BrowserSignin: 0,
    AllowFileSelectionDialogs: false, // no file chooser, Ctrl+O and Save as included
    TaskManagerEndProcessEnabled: false, // Shift+Esc opens the task manager, which cannot end the page
    ExtensionInstallBlocklist: ['*'],
    PasswordManagerEnabled: false, // no "save password?" bubble over the picture
    TranslateEnabled: false,
    DefaultBrowserSettingEnabled: false,
    BookmarkBarEnabled: false, // Ctrl+Shift+B
  };
}

export function kioskPolicyText(port: number): string {
  return `${JSON.stringify(kioskPolicy(port), null, 2)}\n`;
}

/** What no policy stops, as Chromium 156 did it in --kiosk with these policies, for the person installing the kiosk. */
export const NOT_STOPPED_BY_POLICY: readonly string[] = [
  'Alt+F4, Ctrl+W and Ctrl+Shift+W close the browser; no policy stops them. The kiosk starts it again within seconds.',
  'Ctrl+T opens a tab over the portal, and Ctrl+N a window with an address bar and a menu; every page they reach shows "This page is blocked". Closing it (Ctrl+W) brings the portal back.',
  'F12 and Ctrl+U show "DevTools not allowed on this page", Shift+Esc the task manager (which cannot end the page), until someone closes them; the portal runs on underneath.',
  'A window manager or desktop has its own keys (Alt+Tab, the Super key), and Ctrl+Alt+F1 goes to a text console: a kiosk session without a desktop (xinit, cage) has fewer of them.',
];

export function policyPath(dir: string): string {
  return join(dir, POLICY_FILE_NAME);
}
