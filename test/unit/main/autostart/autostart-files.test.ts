import { describe, expect, it } from 'vitest';
import { systemdUnit, xdgAutostartEntry } from '../../../../main/autostart/autostart-files.js';

const command = {
  argv: ['/usr/bin/node', '/opt/my portal/dist/main/cli/portal.js', 'start', '--config', '/etc/p%1/$x"q.json'],
  workingDirectory: '/opt/my portal',
};

describe('autostart files', () => {
  it('writes a systemd user unit that restarts portal start forever', () => {
    const unit = systemdUnit(command, '/home/kiosk/.config');
    expect(unit.path).toBe('/home/kiosk/.config/systemd/user/portal.service');
    expect(unit.text).toMatch(/^Restart=always$/m);
    // Started by the graphical session, which has the display; never at boot before it.
    expect(unit.text).toMatch(/^WantedBy=graphical-session\.target$/m);
    expect(unit.text).toMatch(/^PartOf=graphical-session\.target$/m);
    expect(unit.text).toMatch(/^After=graphical-session\.target$/m);
    expect(unit.text).not.toMatch(/default\.target/);
    // No one-off copy of this shell's DISPLAY that a reboot would make stale.
    expect(unit.nextSteps.filter((step) => !step.startsWith('#')).join('\n')).not.toMatch(/import-environment/);
    expect(unit.text).toMatch(/^WorkingDirectory=\/opt\/my portal$/m);
    // A % in the directory is a systemd specifier unless doubled.
    expect(systemdUnit({ ...command, workingDirectory: '/opt/p%h' }, '/c').text).toMatch(
      /^WorkingDirectory=\/opt\/p%%h$/m,
    );
    // Every word quoted; % and $ doubled, " escaped, so systemd passes them through unchanged.
    expect(unit.text).toContain(
      'ExecStart="/usr/bin/node" "/opt/my portal/dist/main/cli/portal.js" "start" "--config" "/etc/p%%1/$$x\\"q.json"',
    );
    expect(unit.nextSteps.some((step) => step.startsWith('systemctl --user enable portal.service'))).toBe(true);
    // The session comes back after a reboot by logging in; a lingering manager has no display.
    expect(unit.nextSteps.join('\n')).not.toMatch(/enable-linger/);
    expect(unit.nextSteps.join('\n')).toMatch(/autologin/);
  });

  it('writes an XDG autostart entry with the Exec words quoted', () => {
    const entry = xdgAutostartEntry(command, '/home/kiosk/.config');
    expect(entry.path).toBe('/home/kiosk/.config/autostart/portal.desktop');
    expect(entry.text).toMatch(/^\[Desktop Entry\]$/m);
    expect(entry.text).toContain(
      'Exec="/usr/bin/node" "/opt/my portal/dist/main/cli/portal.js" "start" "--config" "/etc/p%%1/\\$x\\"q.json"',
    );
  });
});
