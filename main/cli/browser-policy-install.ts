// `portal install-autostart --browser-policy`: Chromium's managed policies for the kiosk
// (main/autostart/chromium-policy.ts), written where the kiosk's browser reads them. That is a
// directory under /etc, for every user of that browser: only root writes it, and nothing else
// of install-autostart runs then (root's own autostart is not the kiosk user's). Without root
// it says what it would write, and how to install it.

import { chmod, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseConfigText } from '../../app/config/portal-config.js';
import { DEFAULT_SIGNAL_PORT } from '../../app/signaling/protocol-limits.js';
import {
  kioskPolicyText,
  NOT_STOPPED_BY_POLICY,
  policyPath,
  policyTargetFor,
  type PolicyTarget,
} from '../autostart/chromium-policy.js';
import { writeFileAtomic } from '../config/atomic-file.js';

export interface BrowserPolicyOptions {
  /** The kiosk's config file: the policy allows its page's port. */
  readonly configPath: string;
  /** Show what would be written, and where, without writing. */
  readonly print: boolean;
  /** Write into this directory instead of the browser's managed policy directory. */
  readonly policyDir: string | undefined;
  readonly isRoot: boolean;
  /** The browser the kiosk runs, as `portal start` finds it (throws when there is none). */
  readonly findBrowser: () => string;
  /** The command that runs this again, for the sentence that says how to install it as root. */
  readonly rerun: string;
  readonly write?: (path: string, text: string) => Promise<void>;
  readonly out: (text: string) => void;
}

export type PolicyOutcome = 'written' | 'printed' | 'needs-root';

/** Writes the file readable by every user (the kiosk's browser does not run as root), writable by root only. */
export async function writePolicyFile(path: string, text: string): Promise<void> {
  const dir = dirname(path);
  const created = await mkdir(dir, { recursive: true });
  // The directories made here too, whatever root's umask: a browser that cannot list them reads no policy.
  if (created !== undefined) {
    for (let at = dir; at.length >= created.length; at = dirname(at)) await chmod(at, 0o755);
  }
  await writeFileAtomic(path, text);
  await chmod(path, 0o644);
}

export async function installBrowserPolicy(options: BrowserPolicyOptions): Promise<PolicyOutcome> {
  const { port, note } = await kioskPort(options.configPath);
  const target: PolicyTarget =
    options.policyDir === undefined
      ? policyTargetFor(options.findBrowser())
      : { browser: 'the browser that reads this directory', dir: options.policyDir };
  const path = policyPath(target.dir);
  const text = kioskPolicyText(port);
  const about = [
    ...(note === null ? [] : [note]),
    `Chromium's policies for the kiosk at http://127.0.0.1:${port}, for ${target.browser}: no developer tools, downloads, printing, file dialogs or other pages, no incognito, guest or new profile.`,
    `They apply to every user of ${target.browser} on this machine: it opens nothing but the kiosk's page. The Electron shell does not read them.`,
    "With them Chromium refuses the DevTools protocol on the page; the kiosk drives its browser with the browser-wide commands left (its page, and each reload, a new tab; the screen's size from the browser), as it does without them.",
    'Not stopped by any policy:',
    ...NOT_STOPPED_BY_POLICY.map((line) => `  ${line}`),
    "If the kiosk's port changes, run this again.",
  ];

  if (options.print || (!options.isRoot && options.policyDir === undefined)) {
    options.out(`# ${path}\n${text}${about.map((line) => `# ${line}`).join('\n')}\n`);
    if (options.print) return 'printed';
    options.out(
      `# Writing ${target.dir} needs root. To install it: ${options.rerun}\n# or save the JSON above as ${path}, owned by root, mode 644.\n`,
    );
    return 'needs-root';
  }
  await (options.write ?? writePolicyFile)(path, text);
  options.out(
    `wrote ${path}\n${about.map((line) => `  ${line}`).join('\n')}\nnext:\n  restart the kiosk (its browser reads the policies when it starts)\n`,
  );
  return 'written';
}

/** The kiosk page's port, from its config file or the last good copy; the default, saying so, without either. */
async function kioskPort(path: string): Promise<{ port: number; note: string | null }> {
  for (const file of [path, `${path}.last-good`]) {
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text === null) continue;
    const parsed = parseConfigText(text);
    if (parsed.ok) return { port: parsed.config.signaling.port, note: null };
  }
  return {
    port: DEFAULT_SIGNAL_PORT,
    note: `No usable config file at ${path}: the policy allows the default port ${DEFAULT_SIGNAL_PORT}. Give --config with the kiosk user's config file if its port is another.`,
  };
}
