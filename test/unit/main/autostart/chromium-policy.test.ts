import { describe, expect, it } from 'vitest';
import { kioskPolicy, kioskPolicyText, policyTargetFor } from '../../../../main/autostart/chromium-policy.js';

describe("Chromium's managed policies for the kiosk", () => {
  it('allows navigation to the kiosk page on its port and nothing else, Chromium pages included', () => {
    const policy = kioskPolicy(9123);
    expect(policy['URLAllowlist']).toEqual(['http://127.0.0.1:9123', 'about:blank']);
    expect(policy['URLBlocklist']).toEqual(expect.arrayContaining(['*', 'chrome://*', 'file://*', 'view-source:*']));
  });

  it('turns off developer tools, downloads, printing, incognito, guests and new profiles', () => {
    expect(kioskPolicy(8787)).toMatchObject({
      DeveloperToolsAvailability: 2,
      DownloadRestrictions: 3,
      PrintingEnabled: false,
      IncognitoModeAvailability: 1,
      BrowserGuestModeEnabled: false,
      BrowserAddPersonEnabled: false,
      AllowFileSelectionDialogs: false,
      TaskManagerEndProcessEnabled: false,
    });
  });

  it('never turns off remote debugging, which the kiosk host drives its browser with', () => {
    expect(kioskPolicy(8787)).not.toHaveProperty('RemoteDebuggingAllowed');
  });

  it('is one JSON object with policy names as Chromium spells them', () => {
    const parsed = JSON.parse(kioskPolicyText(8787)) as Record<string, unknown>;
    expect(parsed).toEqual(kioskPolicy(8787));
    for (const name of Object.keys(parsed)) expect(name).toMatch(/^[A-Z][A-Za-z]+$/);
    expect(kioskPolicyText(8787).endsWith('}\n')).toBe(true);
  });

  it("goes where each browser reads it: Debian's Chromium, Google Chrome, Ubuntu's Chromium", () => {
    expect(policyTargetFor('/usr/bin/chromium').dir).toBe('/etc/chromium/policies/managed');
    expect(policyTargetFor('/usr/bin/google-chrome-stable').dir).toBe('/etc/opt/chrome/policies/managed');
    expect(policyTargetFor('/usr/bin/google-chrome').dir).toBe('/etc/opt/chrome/policies/managed');
    expect(policyTargetFor('/usr/bin/chromium-browser').dir).toBe('/etc/chromium-browser/policies/managed');
    expect(policyTargetFor('/snap/bin/chromium').dir).toBe('/etc/chromium-browser/policies/managed');
  });
});
