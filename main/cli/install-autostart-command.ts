// `portal install-autostart [--xdg] [--print] [--config FILE]`

import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemdUnit, xdgAutostartEntry } from '../autostart/autostart-files.js';
import { writeFileAtomic } from '../config/atomic-file.js';
import { parseFlags } from './command-args.js';
import { UsageError } from '../util/usage-error.js';

export const AUTOSTART_USAGE = `Usage: portal install-autostart [--xdg] [--print] [--config FILE]

  (default)       a systemd user unit running \`portal start\` with Restart=always
  --xdg           an XDG autostart entry instead, for desktops without systemd user sessions
  --print         show what would be written, and where, without writing
  --config FILE   the config file the kiosk should use`;

export async function runInstallAutostart(args: readonly string[]): Promise<void> {
  const values = parseFlags(
    args,
    { xdg: { type: 'boolean' }, print: { type: 'boolean' }, config: { type: 'string' } },
    AUTOSTART_USAGE,
  );
  if (process.platform === 'win32') {
    throw new UsageError(
      'On Windows, Portal registers itself as a login item from its Electron app; this command is for Linux.',
    );
  }
  const script = fileURLToPath(new URL('./portal.js', import.meta.url));
  const argv = [process.execPath, script, 'start', ...(values.config ? ['--config', resolve(values.config)] : [])];
  const command = { argv, workingDirectory: resolve(dirname(script), '..', '..', '..') };
  const configHome = process.env['XDG_CONFIG_HOME'] || resolve(homedir(), '.config');
  const file = values.xdg ? xdgAutostartEntry(command, configHome) : systemdUnit(command, configHome);
  if (values.print) {
    process.stdout.write(
      `# ${file.path}\n${file.text}\n# then:\n${file.nextSteps.map((s) => `#   ${s}`).join('\n')}\n`,
    );
    return;
  }
  await mkdir(dirname(file.path), { recursive: true });
  await writeFileAtomic(file.path, file.text);
  process.stdout.write(`wrote ${file.path}\nnext:\n${file.nextSteps.map((s) => `  ${s}`).join('\n')}\n`);
}
