import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configText, defaultConfig } from '../../../../app/config/portal-config.js';
import {
  chromiumFlags,
  hardwareVideoOf,
  hardwareVideoSwitches,
  probeVideoDevices,
} from '../../../../main/display/hardware-video.js';
import { withVideoFlags } from '../../../../main/chromium/chromium-shell.js';

const none = { vaapi: false, v4l2: false };

describe('the hardware video policy', () => {
  it('turns the accelerated codecs off when off, whatever the machine has', () => {
    expect(chromiumFlags(hardwareVideoSwitches('off', { vaapi: true, v4l2: true }))).toEqual([
      '--disable-accelerated-video-decode',
      '--disable-accelerated-video-encode',
    ]);
  });

  it('asks for nothing in auto on a machine without a video device', () => {
    const auto = hardwareVideoSwitches('auto', none);
    expect(chromiumFlags(auto)).toEqual([]);
    expect(auto.reason).toMatch(/no video device/);
  });

  it('turns on VA-API in auto where there is a render node, and V4L2 where there is a codec device', () => {
    const vaapi = chromiumFlags(hardwareVideoSwitches('auto', { vaapi: true, v4l2: false }));
    expect(vaapi).toContain('--ignore-gpu-blocklist');
    const features = vaapi
      .find((flag) => flag.startsWith('--enable-features='))!
      .split('=')[1]!
      .split(',');
    expect(features).toEqual(expect.arrayContaining(['AcceleratedVideoDecodeLinuxGL', 'VaapiVideoEncoder']));
    expect(features).not.toContain('V4L2VideoDecoder');
    const v4l2 = hardwareVideoSwitches('auto', { vaapi: false, v4l2: true });
    expect(v4l2.enableFeatures).toEqual(expect.arrayContaining(['V4L2VideoDecoder']));
    expect(v4l2.enableFeatures.some((f) => f.startsWith('Vaapi'))).toBe(false);
    expect(v4l2.reason).toBe('hardware video auto: V4L2');
  });

  it('turns both on when on, even where nothing was found', () => {
    const on = hardwareVideoSwitches('on', none);
    expect(on.enableFeatures).toEqual(expect.arrayContaining(['VaapiVideoDecoder', 'V4L2VideoDecoder']));
  });

  it('merges other features into the one --enable-features Chromium keeps', () => {
    const flags = chromiumFlags(hardwareVideoSwitches('auto', { vaapi: true, v4l2: false }), ['Foo']);
    const enable = flags.filter((flag) => flag.startsWith('--enable-features='));
    expect(enable).toHaveLength(1);
    expect(enable[0]).toMatch(/^--enable-features=Foo,/);
  });
});

describe('probeVideoDevices', () => {
  const root = () => `${mkdtempSync(join(tmpdir(), 'portal-video-'))}/`;

  it('finds a DRM render node and a V4L2 codec, and not a camera', () => {
    const dir = root();
    mkdirSync(`${dir}dev/dri`, { recursive: true });
    writeFileSync(`${dir}dev/dri/renderD128`, '');
    for (const [name, label] of [
      ['video0', 'USB Camera'],
      ['video10', 'bcm2835-codec-decode'],
    ]) {
      mkdirSync(`${dir}sys/class/video4linux/${name}`, { recursive: true });
      writeFileSync(`${dir}sys/class/video4linux/${name}/name`, `${label}\n`);
      writeFileSync(`${dir}dev/${name}`, '');
    }
    expect(probeVideoDevices(dir)).toEqual({ vaapi: true, v4l2: true });
  });

  it('finds nothing on a machine with only a camera, or with nothing at all', () => {
    const dir = root();
    mkdirSync(`${dir}sys/class/video4linux/video0`, { recursive: true });
    writeFileSync(`${dir}sys/class/video4linux/video0/name`, 'USB Camera\n');
    mkdirSync(`${dir}dev`, { recursive: true });
    writeFileSync(`${dir}dev/video0`, '');
    expect(probeVideoDevices(dir)).toEqual(none);
    expect(probeVideoDevices(root())).toEqual(none);
  });
});

describe('hardwareVideoOf', () => {
  it("reads the config file's setting, and takes auto from a file it cannot use", () => {
    const dir = mkdtempSync(join(tmpdir(), 'portal-video-config-'));
    writeFileSync(
      join(dir, 'off.json'),
      configText({ ...defaultConfig('site', 'k'.repeat(24)), hardwareVideo: 'off' }),
    );
    writeFileSync(join(dir, 'broken.json'), '{ not json');
    expect(hardwareVideoOf(join(dir, 'off.json'))).toBe('off');
    expect(hardwareVideoOf(join(dir, 'broken.json'))).toBe('auto');
    expect(hardwareVideoOf(join(dir, 'missing.json'))).toBe('auto');
  });
});

describe("the Chromium kiosk's flags", () => {
  it("put PORTAL_CHROMIUM_FLAGS after the policy's, with their features merged into its one --enable-features", () => {
    const flags = withVideoFlags(hardwareVideoSwitches('auto', { vaapi: true, v4l2: false }), [
      '--enable-features=Mine,Other',
      '--force-device-scale-factor=1',
    ]);
    const enable = flags.filter((flag) => flag.startsWith('--enable-features='));
    expect(enable).toHaveLength(1);
    expect(enable[0]).toMatch(/^--enable-features=Mine,Other,.*VaapiVideoDecoder/);
    expect(flags.at(-1)).toBe('--force-device-scale-factor=1');
    expect(withVideoFlags(hardwareVideoSwitches('auto', none), ['--x'])).toEqual(['--x']);
  });
});
