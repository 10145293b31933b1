// `portal install-autostart [--xdg] [--print] [--config FILE] [--browser-policy [--policy-dir DIR]]`

import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemdUnit, xdgAutostartEntry } from '../autostart/autostart-files.js';
import { BROWSER_NAMES, findBrowser } from '../chromium/find-browser.js';
import { defaultConfigPath } from '../config/config-store.js';
import { writeFileAtomic } from '../config/atomic-file.js';
import { installBrowserPolicy } from './browser-policy-install.js';
import { parseFlags } from './command-args.js';
import { UsageError } from '../util/usage-error.js';

export const AUTOSTART_USAGE = `Usage: portal install-autostart [--xdg] [--print] [--config FILE] [--browser-policy [--policy-dir DIR]]

  (default)         a systemd user unit running \`portal start\` with Restart=always
  --xdg             an XDG autostart entry instead, for desktops without systemd user sessions
  --print           show what would be written, and where, without writing
  --config FILE     the config file the kiosk should use
  --browser-policy  instead of the autostart: Chromium's managed policies for the kiosk (no developer
                    tools, downloads, printing or other pages), in the kiosk's browser's policy
                    directory (/etc/chromium/policies/managed, /etc/opt/chrome/policies/managed);
                    as root, for every user of that browser on this machine
  --policy-dir DIR  with --browser-policy: write into DIR instead`;

export async function runInstallAutostart(args: readonly string[]): Promise<void> {
  const values = parseFlags(
    args,
    {
      xdg: { type: 'boolean' },
      print: { type: 'boolean' },
      config: { type: 'string' },
      'browser-policy': { type: 'boolean' },
      'policy-dir': { type: 'string' },
    },
    AUTOSTART_USAGE,
  );
  if (process.platform === 'win32') {
    throw new UsageError(
      'On Windows, Portal registers itself as a login item from its Electron app; this command is for Linux.',
    );
  }
  const script = fileURLToPath(new URL('./portal.js', import.meta.url));
  const configFlag = values.config ? ['--config', resolve(values.config)] : [];
  if (values['policy-dir'] !== undefined && !values['browser-policy']) {
    throw new UsageError(`--policy-dir goes with --browser-policy.\n\n${AUTOSTART_USAGE}`);
  }
  const configPath = values.config ? resolve(values.config) : defaultConfigPath();
  const policyCommand = `sudo ${[process.execPath, script, 'install-autostart', '--browser-policy', '--config', configPath].map(shellWord).join(' ')}`;
  if (values['browser-policy']) {
    if (values.xdg)
      throw new UsageError(
        `--browser-policy writes the browser's policies only; --xdg is for the autostart.\n\n${AUTOSTART_USAGE}`,
      );
    const outcome = await installBrowserPolicy({
      configPath,
      print: values.print === true,
      policyDir: values['policy-dir'] === undefined ? undefined : resolve(values['policy-dir']),
      isRoot: process.getuid?.() === 0,
      findBrowser: () => {
        try {
          return findBrowser(undefined);
        } catch {
          throw new Error(
            `No Chromium found on PATH (looked for ${BROWSER_NAMES.join(', ')}), so no policy directory to write to. Install the kiosk's browser first, or give --policy-dir DIR.`,
          );
        }
      },
      rerun: policyCommand,
      out: (text) => process.stdout.write(text),
    });
    if (outcome === 'needs-root') {
      throw new Error(
        "The browser's policies were not written: their directory is root's. Run it again with sudo, as shown above.",
      );
    }
    return;
  }

  const argv = [process.execPath, script, 'start', ...configFlag];
  const command = { argv, workingDirectory: resolve(dirname(script), '..', '..', '..') };
  const configHome = process.env['XDG_CONFIG_HOME'] || resolve(homedir(), '.config');
  const file = values.xdg ? xdgAutostartEntry(command, configHome) : systemdUnit(command, configHome);
  // The policies are root's to write and lock the browser for every user: asked for on their own.
  const policyHint = `# To lock the kiosk's browser as well (no developer tools, downloads or other pages), as root: ${policyCommand}`;
  const steps = [...file.nextSteps, policyHint];
  if (values.print) {
    process.stdout.write(`# ${file.path}\n${file.text}\n# then:\n${steps.map((s) => `#   ${s}`).join('\n')}\n`);
    return;
  }
  await mkdir(dirname(file.path), { recursive: true });
  await writeFileAtomic(file.path, file.text);
  process.stdout.write(`wrote ${file.path}\nnext:\n${steps.map((s) => `  ${s}`).join('\n')}\n`);
}

/** A word as a POSIX shell reads it back: bare when it is plain, else in single quotes. */
function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
