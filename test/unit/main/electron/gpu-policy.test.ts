import { describe, expect, it } from 'vitest';
import { DISABLE_GPU_SWITCH, GpuCrashPolicy, relaunchArgs } from '../../../../main/electron/gpu-policy.js';
import { parseElectronMainArgs } from '../../../../main/electron/main-args.js';

describe('the GPU crash policy', () => {
  it('asks for a relaunch without hardware acceleration after repeated GPU crashes', () => {
    let now = 0;
    const policy = new GpuCrashPolicy(() => now, false, { maxCrashes: 3, windowMs: 60_000 });
    expect(policy.gpuProcessGone()).toBe(false);
    now += 10_000;
    expect(policy.gpuProcessGone()).toBe(false);
    now += 10_000;
    expect(policy.gpuProcessGone()).toBe(true);
  });

  it('forgets crashes older than the window', () => {
    let now = 0;
    const policy = new GpuCrashPolicy(() => now, false, { maxCrashes: 3, windowMs: 60_000 });
    for (let i = 0; i < 5; i++) {
      expect(policy.gpuProcessGone()).toBe(false);
      now += 40_000;
    }
  });

  it('has nothing to turn off when acceleration is already off', () => {
    const policy = new GpuCrashPolicy(() => 0, true, { maxCrashes: 1, windowMs: 60_000 });
    expect(policy.gpuProcessGone()).toBe(false);
  });

  it('relaunches with the switch once', () => {
    expect(relaunchArgs(['.', '--config', 'c.json'])).toEqual(['.', '--config', 'c.json', DISABLE_GPU_SWITCH]);
    expect(relaunchArgs(['.', DISABLE_GPU_SWITCH])).toEqual(['.', DISABLE_GPU_SWITCH]);
  });
});

describe("Portal's switches on the Electron command line", () => {
  it('finds --config and the GPU switch among Chromium switches', () => {
    expect(
      parseElectronMainArgs([
        '/usr/lib/electron',
        '/app',
        '--no-sandbox',
        '--config',
        '/etc/p.json',
        DISABLE_GPU_SWITCH,
      ]),
    ).toEqual({ configPath: '/etc/p.json', hardwareAccelerationOff: true });
    expect(parseElectronMainArgs(['portal', '--config=/x.json'])).toEqual({
      configPath: '/x.json',
      hardwareAccelerationOff: false,
    });
    expect(parseElectronMainArgs(['portal', '--config'])).toEqual({ configPath: null, hardwareAccelerationOff: false });
  });
});
