// The Chromium kiosk's environment: its extra flags, and the developer's DevTools port.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { chromiumFlags, devtoolsPort } from '../../../../main/cli/kiosk-command.js';
import { UsageError } from '../../../../main/util/usage-error.js';

afterEach(() => void vi.unstubAllEnvs());

describe("the Chromium kiosk's environment", () => {
  it('takes PORTAL_CHROMIUM_FLAGS as space-separated flags', () => {
    vi.stubEnv('PORTAL_CHROMIUM_FLAGS', ' --disable-gpu  --use-fake-device-for-media-stream ');
    expect(chromiumFlags()).toEqual(['--disable-gpu', '--use-fake-device-for-media-stream']);
  });

  it.each(['--remote-debugging-port=9222', '--remote-debugging-address=0.0.0.0', '--remote-debugging-pipe'])(
    'refuses %s in PORTAL_CHROMIUM_FLAGS, and says what to use instead',
    (flag) => {
      vi.stubEnv('PORTAL_CHROMIUM_FLAGS', `--disable-gpu ${flag}`);
      expect(chromiumFlags).toThrow(UsageError);
      expect(chromiumFlags).toThrow(
        `PORTAL_CHROMIUM_FLAGS may not hold ${flag.split('=')[0]}: the kiosk keeps its browser's DevTools off every port. For development, PORTAL_DEVTOOLS_PORT=0 opens one on 127.0.0.1.`,
      );
    },
  );

  it('opens no DevTools port unless PORTAL_DEVTOOLS_PORT asks for one', () => {
    vi.stubEnv('PORTAL_DEVTOOLS_PORT', undefined);
    expect(devtoolsPort()).toEqual({});
    vi.stubEnv('PORTAL_DEVTOOLS_PORT', '');
    expect(devtoolsPort()).toEqual({});
    vi.stubEnv('PORTAL_DEVTOOLS_PORT', '0');
    expect(devtoolsPort()).toEqual({ devtoolsPort: 0 });
    vi.stubEnv('PORTAL_DEVTOOLS_PORT', '9222');
    expect(devtoolsPort()).toEqual({ devtoolsPort: 9222 });
  });

  it.each(['abc', '-1', '65536', '92 22', '1e3'])('refuses PORTAL_DEVTOOLS_PORT=%s with a sentence', (raw) => {
    vi.stubEnv('PORTAL_DEVTOOLS_PORT', raw);
    expect(devtoolsPort).toThrow(`PORTAL_DEVTOOLS_PORT must be a whole number from 0 to 65535, got '${raw}'.`);
  });
});
