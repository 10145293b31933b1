import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configText, defaultConfig } from '../../../app/config/portal-config.js';
import { runCli } from '../../support/built-cli.js';

describe('portal install-autostart', () => {
  it('writes a systemd user unit under XDG_CONFIG_HOME and says what to run next', async () => {
    const home = mkdtempSync(join(tmpdir(), 'portal-xdg-'));
    const cli = runCli(['install-autostart', '--config', '/srv/portal/config.json'], { XDG_CONFIG_HOME: home });
    expect((await cli.exited).code).toBe(0);
    const unit = readFileSync(join(home, 'systemd/user/portal.service'), 'utf8');
    expect(unit).toMatch(
      /^ExecStart=".*node" ".*dist\/main\/cli\/portal.js" "start" "--config" "\/srv\/portal\/config.json"$/m,
    );
    expect(unit).toMatch(/^Restart=always$/m);
    expect(unit).toMatch(/^WantedBy=graphical-session\.target$/m);
    expect(cli.stdout()).toMatch(/systemctl --user enable portal\.service/);
    // The browser's policies are a step of their own, root's; it says how.
    expect(cli.stdout()).toMatch(
      /as root: sudo .* install-autostart --browser-policy --config \/srv\/portal\/config\.json$/m,
    );
  });

  it('only shows what it would write with --print', async () => {
    const home = mkdtempSync(join(tmpdir(), 'portal-xdg-'));
    const cli = runCli(['install-autostart', '--xdg', '--print'], { XDG_CONFIG_HOME: home });
    expect((await cli.exited).code).toBe(0);
    expect(cli.stdout()).toMatch(/^# .*autostart\/portal.desktop$/m);
    expect(cli.stdout()).toMatch(/^\[Desktop Entry\]$/m);
    expect(existsSync(join(home, 'autostart'))).toBe(false);
  });

  it('refuses an unknown flag with exit code 2', async () => {
    const cli = runCli(['install-autostart', '--systemd']);
    expect((await cli.exited).code).toBe(2);
    expect(cli.stderr()).toMatch(/Unknown option '--systemd'/);
  });

  // Only ever into a temp dir (--policy-dir) or printed: a test run as root must not lock this
  // machine's Chromium, which the other tests drive.
  it("writes the kiosk policy for the config's port into --policy-dir and says what it wrote", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portal-policy-'));
    const configPath = join(dir, 'config.json');
    const config = defaultConfig('dublin', 'k'.repeat(24));
    writeFileSync(configPath, configText({ ...config, signaling: { ...config.signaling, port: 9123 } }));
    const policyDir = join(dir, 'policies', 'managed');
    const cli = runCli(['install-autostart', '--browser-policy', '--config', configPath, '--policy-dir', policyDir]);
    expect((await cli.exited).code).toBe(0);
    const policy = JSON.parse(readFileSync(join(policyDir, 'portal-kiosk.json'), 'utf8')) as Record<string, unknown>;
    expect(policy).toMatchObject({
      URLAllowlist: ['http://127.0.0.1:9123', 'about:blank'],
      DeveloperToolsAvailability: 2,
    });
    expect(statSync(join(policyDir, 'portal-kiosk.json')).mode & 0o777).toBe(0o644);
    expect(cli.stdout()).toMatch(new RegExp(`^wrote ${policyDir}/portal-kiosk\\.json$`, 'm'));
    expect(cli.stdout()).toMatch(/Not stopped by any policy:/);
    // Nothing of the autostart with it.
    expect(existsSync(join(dir, 'systemd'))).toBe(false);
  });

  it("shows with --print where the kiosk's browser reads its policies, writing nothing", async () => {
    const before = existsSync('/etc/chromium/policies/managed/portal-kiosk.json');
    const cli = runCli(['install-autostart', '--browser-policy', '--print', '--config', '/nonexistent/config.json']);
    expect((await cli.exited).code).toBe(0);
    expect(cli.stdout()).toMatch(
      /^# \/etc\/(chromium|opt\/chrome|chromium-browser)\/policies\/managed\/portal-kiosk\.json$/m,
    );
    expect(cli.stdout()).toMatch(/the policy allows the default port 8787/);
    expect(existsSync('/etc/chromium/policies/managed/portal-kiosk.json')).toBe(before);
  });

  it('refuses --policy-dir without --browser-policy, and --browser-policy with --xdg', async () => {
    const alone = runCli(['install-autostart', '--policy-dir', '/tmp/x']);
    expect((await alone.exited).code).toBe(2);
    expect(alone.stderr()).toMatch(/--policy-dir goes with --browser-policy/);
    const both = runCli(['install-autostart', '--browser-policy', '--xdg', '--policy-dir', '/tmp/x']);
    expect((await both.exited).code).toBe(2);
  });
});
