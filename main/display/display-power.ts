// Puts the kiosk's display to sleep while the site is closed (closedDisplay `off`) and wakes it
// when it opens. Which command does it depends on the desktop: X11 has DPMS (`xset dpms force
// off`); wlroots compositors (sway, labwc, cage) have wlopm; other Wayland compositors decide for
// themselves once nothing keeps the screen on. Electron also holds a power-save blocker that
// keeps the display awake, let go while asleep. The OS comes in through the constructor.

import { execFile } from 'node:child_process';
import type { Logger } from '../../app/log/logger.js';

export interface PowerCommand {
  readonly file: string;
  readonly args: readonly string[];
}

/** The commands that turn the display off or on in this session; none where there is no way. */
export function displayPowerCommands(
  on: boolean,
  env: { readonly DISPLAY?: string | undefined; readonly WAYLAND_DISPLAY?: string | undefined },
): readonly PowerCommand[] {
  if (env.WAYLAND_DISPLAY) return [{ file: 'wlopm', args: [on ? '--on' : '--off', '*'] }];
  if (env.DISPLAY) {
    return on
      ? // `force` turns DPMS on, and its timeouts would blank an open kiosk: off again once awake,
        // and the screen saver's clock reset.
        [
          { file: 'xset', args: ['dpms', 'force', 'on'] },
          { file: 'xset', args: ['-dpms'] },
          { file: 'xset', args: ['s', 'reset'] },
        ]
      : [{ file: 'xset', args: ['dpms', 'force', 'off'] }];
  }
  return [];
}

/** What keeps the display awake in the shell (Electron's powerSaveBlocker), let go while asleep. */
export interface SleepBlocker {
  allowSleep(): void;
  preventSleep(): void;
}

export interface DisplayPowerOptions {
  readonly env: { readonly DISPLAY?: string | undefined; readonly WAYLAND_DISPLAY?: string | undefined };
  /** Runs a command; rejects (with the reason) when it cannot be run or fails. */
  readonly run: (command: PowerCommand) => Promise<void>;
  readonly blocker?: SleepBlocker;
  readonly logger: Logger;
}

export class DisplayPower {
  /** Not known until the first word: a host may start with the display left asleep. */
  private on: boolean | null = null;
  /** A command that could not be run is said once, not at every closing. */
  private readonly warned = new Set<string>();

  constructor(private readonly options: DisplayPowerOptions) {}

  get isOn(): boolean {
    return this.on !== false;
  }

  async set(on: boolean): Promise<void> {
    if (on === this.on) return;
    this.on = on;
    if (on) this.options.blocker?.preventSleep();
    else this.options.blocker?.allowSleep();
    this.options.logger.info('display-power', { on });
    for (const command of displayPowerCommands(on, this.options.env)) {
      try {
        await this.options.run(command);
      } catch (error) {
        if (this.warned.has(command.file)) continue;
        this.warned.add(command.file);
        this.options.logger.warn('display-power-failed', {
          command: [command.file, ...command.args].join(' '),
          message: `${error instanceof Error ? error.message : String(error)}; install ${command.file === 'xset' ? 'x11-xserver-utils' : command.file} to let Portal turn the display off while closed`,
        });
      }
    }
  }
}

/**
 * Runs a power command for real. Anything on its error output counts as failing: xset exits 0
 * when the X server has no DPMS (Xvfb: "server does not have extension for dpms option").
 */
export function runPowerCommand({ file, args }: PowerCommand): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(file, [...args], { timeout: 5_000 }, (error, _stdout, stderr) => {
      const said = stderr.trim().split('\n')[0] ?? '';
      if (error === null && said === '') resolve();
      else reject(new Error(said || error?.message));
    });
  });
}
