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

export function systemdUnit(command: AutostartCommand, configHome: string, user: string): AutostartFile {
  const text = `[Unit]
Description=Portal: the always-on video window to the partner site
After=graphical-session.target

[Service]
Type=simple
WorkingDirectory=${command.workingDirectory}
ExecStart=${command.argv.map(systemdWord).join(' ')}
Restart=always
RestartSec=3
KillSignal=SIGTERM
TimeoutStopSec=20

[Install]
WantedBy=default.target
`;
  return {
    path: join(configHome, 'systemd', 'user', 'portal.service'),
    text,
    nextSteps: [
      // The kiosk's browser needs the desktop's display, which a user service does not inherit.
      'systemctl --user import-environment DISPLAY WAYLAND_DISPLAY XAUTHORITY',
      'systemctl --user daemon-reload',
      'systemctl --user enable --now portal.service',
      `sudo loginctl enable-linger ${user}   # keep it running without a login session`,
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
