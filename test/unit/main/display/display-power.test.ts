import { describe, expect, it } from 'vitest';
import { DisplayPower, displayPowerCommands, type PowerCommand } from '../../../../main/display/display-power.js';
import type { Logger, LogFields } from '../../../../app/log/logger.js';

/** A logger that keeps what it is told, one line an event. */
function memoryLogger(): { logger: Logger; lines: () => string[] } {
  const kept: string[] = [];
  const keep = (event: string, fields?: LogFields) => kept.push(`${event} ${JSON.stringify(fields ?? {})}`);
  const logger: Logger = { debug: keep, info: keep, warn: keep, error: keep, child: () => logger };
  return { logger, lines: () => kept };
}

describe('displayPowerCommands', () => {
  it('uses DPMS under X11, and resets the screen saver on waking', () => {
    expect(displayPowerCommands(false, { DISPLAY: ':0' })).toEqual([{ file: 'xset', args: ['dpms', 'force', 'off'] }]);
    expect(displayPowerCommands(true, { DISPLAY: ':0' })).toEqual([
      { file: 'xset', args: ['dpms', 'force', 'on'] },
      { file: 'xset', args: ['-dpms'] },
      { file: 'xset', args: ['s', 'reset'] },
    ]);
  });

  it('uses wlopm under Wayland, even with Xwayland beside it, and nothing without a desktop', () => {
    expect(displayPowerCommands(false, { DISPLAY: ':0', WAYLAND_DISPLAY: 'wayland-0' })).toEqual([
      { file: 'wlopm', args: ['--off', '*'] },
    ]);
    expect(displayPowerCommands(false, {})).toEqual([]);
  });
});

describe('DisplayPower', () => {
  function setup(fail = false) {
    const ran: string[] = [];
    const blocker: string[] = [];
    const { logger, lines } = memoryLogger();
    const power = new DisplayPower({
      env: { DISPLAY: ':0' },
      run: async (command: PowerCommand) => {
        ran.push([command.file, ...command.args].join(' '));
        if (fail) throw new Error('spawn xset ENOENT');
      },
      blocker: { allowSleep: () => blocker.push('allow'), preventSleep: () => blocker.push('prevent') },
      logger,
    });
    return { power, ran, blocker, lines };
  }

  it('lets the blocker go and turns the display off, then back on, once per change', async () => {
    const { power, ran, blocker } = setup();
    await power.set(false);
    await power.set(false);
    expect(power.isOn).toBe(false);
    await power.set(true);
    await power.set(true);
    expect(ran).toEqual(['xset dpms force off', 'xset dpms force on', 'xset -dpms', 'xset s reset']);
    expect(blocker).toEqual(['allow', 'prevent']);
  });

  it('wakes the display at the first word, which may have been left asleep by an earlier run', async () => {
    const { power, ran } = setup();
    await power.set(true);
    expect(ran).toEqual(['xset dpms force on', 'xset -dpms', 'xset s reset']);
  });

  it('says once what to install when the command is missing, and carries on', async () => {
    const { power, lines } = setup(true);
    await power.set(false);
    await power.set(true);
    await power.set(false);
    const warnings = lines().filter((line) => line.includes('display-power-failed'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/spawn xset ENOENT; install x11-xserver-utils/);
  });
});
