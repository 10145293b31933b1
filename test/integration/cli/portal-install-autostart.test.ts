import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
});
