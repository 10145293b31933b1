// `portal demo [--port P] [--browser PATH]`: two sites on this machine, side by side, joined
// through an embedded signaling server: a first look at Portal. Nothing is written to the
// config; a site without a camera sends the test pattern.

import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../app/config/portal-config.js';
import type { Logger } from '../../app/log/logger.js';
import { startKioskHost, type KioskHost } from '../site/kiosk-host.js';
import { linkSettingsFor } from '../site/site-settings.js';
import { chromiumShell } from '../chromium/chromium-shell.js';
import { hostEnvironment } from '../site/host-environment.js';
import { browserFor, chromiumFlags, devtoolsPort } from './kiosk-command.js';
import { parseFlags, parsePort } from './command-args.js';

export const DEMO_USAGE = `Usage: portal demo [--port P] [--browser PATH]

  --port P        the local port (default 8787; 0 for any free one)
  --browser PATH  the Chromium to run`;

export async function runDemo(args: readonly string[], logger: Logger): Promise<KioskHost> {
  const values = parseFlags(args, { port: { type: 'string' }, browser: { type: 'string' } }, DEMO_USAGE);
  const port = parsePort(values.port);
  const browser = browserFor(values.browser, logger);
  const key = randomBytes(18).toString('base64url');
  const profiles = mkdtempSync(join(tmpdir(), 'portal-demo-'));
  const site = (name: string, x: number) => {
    const config = { ...defaultConfig(name, key), room: 'demo' };
    return {
      site: name,
      settings: (localPort: number) => ({ ...linkSettingsFor(config, localPort), preview: true }),
      warning: null,
      hardwareVideo: config.hardwareVideo,
      profileDir: join(profiles, name),
      window: { x, y: 0, width: 960, height: 600 },
    };
  };
  const host = await startKioskHost({
    shell: chromiumShell({ browser, extraFlags: chromiumFlags(), logger, ...devtoolsPort() }),
    displays: [site('demo-left', 0), site('demo-right', 960)],
    // Loopback only: the demo's sites are both on this machine.
    signaling: { keys: { key }, listen: '127.0.0.1' },
    port,
    ...hostEnvironment(logger),
  });
  process.stdout.write(`demo: two sites in room demo, side by side; health at http://127.0.0.1:${host.port}/healthz\n`);
  return host;
}
