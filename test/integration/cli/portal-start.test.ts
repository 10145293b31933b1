// `portal start` choosing its shell, and keeping Electron running. There is no Electron binary
// here, so PORTAL_ELECTRON points at a stand-in program that records how it was started and
// then does what the test's plan says: ask for a relaunch without the GPU, crash, quit, or run
// until SIGTERM.

import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, type RunningCli } from '../../support/built-cli.js';

const APP_DIR = fileURLToPath(new URL('../../../', import.meta.url));
const running: RunningCli[] = [];
afterEach(() => {
  for (const cli of running.splice(0)) if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
});

interface Launch {
  readonly args: string[];
  readonly supervised: string | null;
  readonly event?: string;
}

/** A stand-in Electron: launch N does plan[N] ('relaunch-without-gpu' | 'crash' | 'quit' | 'run'). */
function fakeElectron(plan: readonly string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'portal-fake-electron-'));
  const record = join(dir, 'launches.jsonl');
  const binary = join(dir, 'electron');
  writeFileSync(record, '');
  writeFileSync(
    binary,
    `#!${process.execPath}
const fs = require('node:fs');
const plan = ${JSON.stringify(plan)};
const n = fs.readFileSync(${JSON.stringify(record)}, 'utf8').split('\\n').filter((l) => l.includes('"args"')).length;
const log = (entry) => fs.appendFileSync(${JSON.stringify(record)}, JSON.stringify(entry) + '\\n');
log({ args: process.argv.slice(2), supervised: process.env.PORTAL_SUPERVISED ?? null });
const step = plan[Math.min(n, plan.length - 1)];
if (step === 'relaunch-without-gpu') process.exit(75);
if (step === 'relaunch') process.exit(76);
if (step === 'crash') process.exit(1);
if (step === 'quit') process.exit(0);
process.on('SIGTERM', () => { log({ event: 'sigterm' }); process.exit(0); });
setInterval(() => {}, 1000);
`,
  );
  chmodSync(binary, 0o755);
  const launches = (): Launch[] =>
    readFileSync(record, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Launch);
  return { binary, launches };
}

function start(args: string[], env: Record<string, string>): RunningCli {
  const cli = runCli(['start', ...args], env);
  running.push(cli);
  return cli;
}

describe('portal start', () => {
  it('runs Electron when it is there, relaunches it without the GPU or after a crash, and stops it on SIGTERM', async () => {
    const fake = fakeElectron(['relaunch-without-gpu', 'crash', 'run']);
    const config = join(mkdtempSync(join(tmpdir(), 'portal-start-')), 'config.json');
    const cli = start(['--config', config], { PORTAL_ELECTRON: fake.binary });
    await cli.waitForLine(/^portal start: running the kiosk in Electron \(.*electron\)$/);
    await expect.poll(() => fake.launches().length, { timeout: 10_000 }).toBe(3);
    const [first, second, third] = fake.launches();
    const sandbox = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
    expect(first).toEqual({ args: [APP_DIR, '--config', config, ...sandbox], supervised: '1' });
    expect(second!.args).toEqual([APP_DIR, '--config', config, '--portal-disable-gpu', ...sandbox]);
    // After a crash it comes back as it was: still without the GPU.
    expect(third!.args).toContain('--portal-disable-gpu');
    expect(cli.stdout()).toMatch(/"event":"electron-relaunch-without-gpu"/);
    expect(cli.stdout()).toMatch(/"event":"electron-exited".*"code":1/);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    expect(fake.launches().at(-1)).toEqual({ event: 'sigterm' });
  });

  it('runs Electron again at once, as it was, when it asks to be relaunched (new switches)', async () => {
    const fake = fakeElectron(['relaunch', 'run']);
    const config = join(mkdtempSync(join(tmpdir(), 'portal-start-')), 'config.json');
    const cli = start(['--config', config], { PORTAL_ELECTRON: fake.binary });
    await expect.poll(() => fake.launches().length, { timeout: 10_000 }).toBe(2);
    const [first, second] = fake.launches();
    expect(second).toEqual(first);
    expect(cli.stdout()).toMatch(/"event":"electron-relaunch"/);
    expect(cli.stdout()).not.toMatch(/"event":"electron-exited"/);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toEqual({ code: 0, signal: null });
  });

  it('ends when Electron quits by itself (another Portal already runs here)', async () => {
    const fake = fakeElectron(['quit']);
    const cli = start([], { PORTAL_ELECTRON: fake.binary });
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    expect(fake.launches()).toHaveLength(1);
    expect(fake.launches()[0]!.args).toEqual([APP_DIR, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])]);
  });

  it('refuses a PORTAL_SHELL it does not know, and electron where there is none', async () => {
    const bogus = start([], { PORTAL_SHELL: 'firefox' });
    expect(await bogus.exited).toEqual({ code: 2, signal: null });
    expect(bogus.stderr()).toMatch(/PORTAL_SHELL must be chromium or electron, got 'firefox'/);
    const missing = start([], { PORTAL_SHELL: 'electron', PORTAL_ELECTRON: '' });
    expect(await missing.exited).toEqual({ code: 2, signal: null });
    expect(missing.stderr()).toMatch(/PORTAL_SHELL=electron, but the Electron binary is not installed/);
  });

  it('says so when PORTAL_ELECTRON names nothing it can run', async () => {
    const cli = start([], { PORTAL_ELECTRON: '/nonexistent/electron' });
    expect(await cli.exited).toEqual({ code: 2, signal: null });
    expect(cli.stderr()).toMatch(
      /PORTAL_ELECTRON is '\/nonexistent\/electron', which is not a program that can be run/,
    );
  });
});
