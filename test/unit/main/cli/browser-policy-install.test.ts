import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configText, defaultConfig } from '../../../../app/config/portal-config.js';
import { kioskPolicy } from '../../../../main/autostart/chromium-policy.js';
import {
  installBrowserPolicy,
  writePolicyFile,
  type BrowserPolicyOptions,
} from '../../../../main/cli/browser-policy-install.js';

/** A kiosk config on port 9123 in a temp dir. */
function kioskConfig(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'portal-policy-')), 'config.json');
  const config = defaultConfig('dublin', 'k'.repeat(24));
  writeFileSync(path, configText({ ...config, signaling: { ...config.signaling, port: 9123 } }));
  return path;
}

function run(overrides: Partial<BrowserPolicyOptions>) {
  const written: Array<{ path: string; text: string }> = [];
  let out = '';
  const options: BrowserPolicyOptions = {
    configPath: kioskConfig(),
    print: false,
    policyDir: undefined,
    isRoot: true,
    findBrowser: () => '/usr/bin/chromium',
    rerun: 'sudo portal install-autostart --browser-policy --config /home/kiosk/.config/portal/config.json',
    // Never /etc: the fake records what would be written there.
    write: async (path, text) => void written.push({ path, text }),
    out: (text) => (out += text),
    ...overrides,
  };
  return { outcome: installBrowserPolicy(options), written, out: () => out };
}

describe('portal install-autostart --browser-policy', () => {
  it("as root, writes the policy for the kiosk's port into its browser's managed directory and says what it wrote", async () => {
    const { outcome, written, out } = run({});
    expect(await outcome).toBe('written');
    expect(written).toHaveLength(1);
    expect(written[0]!.path).toBe('/etc/chromium/policies/managed/portal-kiosk.json');
    expect(JSON.parse(written[0]!.text)).toEqual(kioskPolicy(9123));
    expect(out()).toMatch(/^wrote \/etc\/chromium\/policies\/managed\/portal-kiosk\.json$/m);
    expect(out()).toMatch(/every user of Chromium on this machine/);
    expect(out()).toMatch(/Alt\+F4, Ctrl\+W and Ctrl\+Shift\+W close the browser/);
  });

  it("for Google Chrome, into Chrome's directory", async () => {
    const { outcome, written } = run({ findBrowser: () => '/usr/bin/google-chrome-stable' });
    await outcome;
    expect(written[0]!.path).toBe('/etc/opt/chrome/policies/managed/portal-kiosk.json');
  });

  it('without root, writes nothing and shows the file, where it goes and how to install it', async () => {
    const { outcome, written, out } = run({ isRoot: false });
    expect(await outcome).toBe('needs-root');
    expect(written).toEqual([]);
    expect(out()).toMatch(/^# \/etc\/chromium\/policies\/managed\/portal-kiosk\.json$/m);
    expect(out()).toContain('"http://127.0.0.1:9123"');
    expect(out()).toMatch(/needs root\. To install it: sudo portal install-autostart --browser-policy --config /);
    expect(out()).toMatch(/owned by root, mode 644/);
  });

  it('with --print, only shows it, root or not', async () => {
    const { outcome, written, out } = run({ print: true });
    expect(await outcome).toBe('printed');
    expect(written).toEqual([]);
    expect(JSON.parse(out().split('\n').slice(1).join('\n').split('\n#')[0]!)).toEqual(kioskPolicy(9123));
  });

  it('writes into --policy-dir without root, and needs no browser then', async () => {
    const { outcome, written } = run({
      isRoot: false,
      policyDir: '/tmp/somewhere',
      findBrowser: () => {
        throw new Error('no browser asked for');
      },
    });
    expect(await outcome).toBe('written');
    expect(written[0]!.path).toBe('/tmp/somewhere/portal-kiosk.json');
  });

  it('takes the port of the last good copy, else the default, and says so', async () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'portal-policy-')), 'config.json');
    const { outcome, written, out } = run({ configPath: missing });
    await outcome;
    expect(JSON.parse(written[0]!.text)).toMatchObject({ URLAllowlist: ['http://127.0.0.1:8787', 'about:blank'] });
    expect(out()).toMatch(/No usable config file at .*config\.json: the policy allows the default port 8787/);
    const good = kioskConfig();
    const broken = `${good}.broken-test`;
    writeFileSync(broken, '{ not json');
    writeFileSync(`${broken}.last-good`, readFileSync(good, 'utf8'));
    const fromLastGood = run({ configPath: broken });
    await fromLastGood.outcome;
    expect(JSON.parse(fromLastGood.written[0]!.text)).toMatchObject({
      URLAllowlist: ['http://127.0.0.1:9123', 'about:blank'],
    });
  });

  it('writes the file readable by every user, whom the browser runs as, and writable by its owner only', async () => {
    const base = mkdtempSync(join(tmpdir(), 'portal-policy-'));
    const dir = join(base, 'policies', 'managed');
    const umask = process.umask(0o077);
    try {
      await writePolicyFile(join(dir, 'portal-kiosk.json'), '{}\n');
    } finally {
      process.umask(umask);
    }
    expect(statSync(join(dir, 'portal-kiosk.json')).mode & 0o777).toBe(0o644);
    expect(statSync(dir).mode & 0o777).toBe(0o755);
    expect(statSync(join(base, 'policies')).mode & 0o777).toBe(0o755);
    expect(readFileSync(join(dir, 'portal-kiosk.json'), 'utf8')).toBe('{}\n');
  });
});
