// What `portal install-autostart` writes: a systemd user unit that keeps `portal start` running
// (Restart=always), or an XDG autostart entry for desktops without systemd user sessions.

import { join } from 'node:path';

export interface AutostartCommand {
  /** The node binary, then the portal script and its arguments. */
  readonly argv: readonly string[];
  readonly workingDirectory: string;
}

export interface AutostartFile {
  readonly path: string;
  readonly text: string;
  /** What a person still has to run, one command a line. */
  readonly nextSteps: readonly string[];
}

/** systemd's quoting: every word in double quotes, with `\` `"` escaped and `%` `$` doubled. */
function systemdWord(word: string): string {
  return `"${word.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%').replace(/\$/g, '$$$$')}"`;
}

/** The Desktop Entry spec's quoting for Exec. */
function desktopWord(word: string): string {
  return `"${word.replace(/[\\"`$]/g, (c) => `\\${c}`).replace(/%/g, '%%')}"`;
}

export function systemdUnit(command: AutostartCommand, configHome: string): AutostartFile {
  // Tied to the graphical session: started once the desktop is up (the session, not this unit,
  // brings DISPLAY or WAYLAND_DISPLAY into the user manager), and stopped with it. Started from
  // default.target it would run at boot, before any display, whenever the user lingers.
  const text = `[Unit]
Description=Portal: the always-on video window to the partner site
PartOf=graphical-session.target
After=graphical-session.target

[Service]
Type=simple
WorkingDirectory=${command.workingDirectory.replace(/%/g, '%%')}
ExecStart=${command.argv.map(systemdWord).join(' ')}
Restart=always
RestartSec=3
KillSignal=SIGTERM
TimeoutStopSec=20

[Install]
WantedBy=graphical-session.target
`;
  return {
    path: join(configHome, 'systemd', 'user', 'portal.service'),
    text,
    nextSteps: [
      'systemctl --user daemon-reload',
      'systemctl --user enable portal.service   # starts with the next graphical session',
      // Not linger: a lingering user manager without a desktop has no display to give Portal,
      // and PartOf stops Portal with the session anyway. What brings the kiosk back after a
      // reboot is a session that starts by itself.
      "# Let the kiosk user log in automatically (the display manager's autologin): after a reboot the session, and Portal with it, comes back by itself.",
      '# A desktop with a systemd session (GNOME, KDE, most Wayland compositors) starts graphical-session.target itself.',
      '# A bare X or Wayland kiosk (xinit, cage) has none: in its start script, every time it runs, hand the display over and start Portal:',
      '#   systemctl --user import-environment DISPLAY WAYLAND_DISPLAY XAUTHORITY; systemctl --user start portal.service',
      '# and stop it when the session ends: systemctl --user stop portal.service',
    ],
  };
}

export function xdgAutostartEntry(command: AutostartCommand, configHome: string): AutostartFile {
  const text = `[Desktop Entry]
Type=Application
Name=Portal
Comment=The always-on video window to the partner site
Exec=${command.argv.map(desktopWord).join(' ')}
Path=${command.workingDirectory}
X-GNOME-Autostart-enabled=true
Terminal=false
`;
  return {
    path: join(configHome, 'autostart', 'portal.desktop'),
    text,
    nextSteps: ['Log out and in again: Portal starts with the desktop.'],
  };
}
