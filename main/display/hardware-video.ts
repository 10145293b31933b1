// Hardware video for the kiosk's browser (Chromium or Electron, the same switches): VA-API on
// Intel and AMD GPUs, V4L2 memory-to-memory codecs on boards such as the Raspberry Pi. `auto`
// turns them on where this machine shows the device for them, `on` always, `off` never (the
// software codecs, and a way out when a driver misbehaves). The stats view names the encoder and
// decoder that run, so a person can see what took effect.
//
// Linux Chromium gates its VA-API paths behind features (renamed over the years, so both names
// are given; a name a build does not know is ignored) and its GPU blocklist; V4L2 decoding is
// built into ChromeOS and into the Chromium of some boards' own distributions, and its feature
// is a no-op elsewhere.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { parseConfigText } from '../../app/config/portal-config.js';
import type { HardwareVideo } from '../../app/settings/registry.js';

/** What this machine has for video in hardware. */
export interface VideoDevices {
  /** A DRM render node (/dev/dri/renderD*): VA-API may drive it. */
  readonly vaapi: boolean;
  /** A V4L2 memory-to-memory codec (a /dev/video* whose name says codec, dec or enc). */
  readonly v4l2: boolean;
}

export interface BrowserSwitches {
  /** Chromium switches without their leading dashes, each with its value or null. */
  readonly switches: ReadonlyArray<readonly [name: string, value: string | null]>;
  /** Features for --enable-features (Chromium keeps only the last such switch: merge them). */
  readonly enableFeatures: readonly string[];
  /** A sentence for the log: what was chosen and why. */
  readonly reason: string;
}

const VAAPI_FEATURES = [
  'AcceleratedVideoDecodeLinuxGL',
  'AcceleratedVideoDecodeLinuxZeroCopyGL',
  'AcceleratedVideoEncoder',
  'VaapiVideoDecoder',
  'VaapiVideoDecodeLinuxGL',
  'VaapiVideoEncoder',
  'VaapiIgnoreDriverChecks',
];
const V4L2_FEATURES = ['V4L2VideoDecoder', 'UseChromeOSDirectVideoDecoder'];

export function hardwareVideoSwitches(mode: HardwareVideo, devices: VideoDevices): BrowserSwitches {
  switch (mode) {
    case 'off':
      return {
        switches: [
          ['disable-accelerated-video-decode', null],
          ['disable-accelerated-video-encode', null],
        ],
        enableFeatures: [],
        reason: 'hardware video off: software codecs',
      };
    case 'on':
      return accelerated({ vaapi: true, v4l2: true }, 'hardware video on');
    case 'auto':
      if (!devices.vaapi && !devices.v4l2) {
        return {
          switches: [],
          enableFeatures: [],
          reason: 'hardware video auto: no video device found, software codecs',
        };
      }
      return accelerated(devices, 'hardware video auto');
    default:
      return mode satisfies never;
  }
}

function accelerated(devices: VideoDevices, why: string): BrowserSwitches {
  const kinds = [devices.vaapi ? 'VA-API' : null, devices.v4l2 ? 'V4L2' : null].filter((k) => k !== null);
  return {
    // The GPU blocklist turns accelerated video off on most Linux drivers; asking for it means
    // trusting this driver. Software fallback stays: a codec that fails to start falls back.
    switches: [['ignore-gpu-blocklist', null]],
    enableFeatures: [...(devices.vaapi ? VAAPI_FEATURES : []), ...(devices.v4l2 ? V4L2_FEATURES : [])],
    reason: `${why}: ${kinds.join(' and ')}`,
  };
}

/** The switches as Chromium command-line flags, with `extraFeatures` merged into one --enable-features. */
export function chromiumFlags(switches: BrowserSwitches, extraFeatures: readonly string[] = []): string[] {
  const features = [...extraFeatures, ...switches.enableFeatures];
  return [
    ...switches.switches.map(([name, value]) => (value === null ? `--${name}` : `--${name}=${value}`)),
    ...(features.length > 0 ? [`--enable-features=${features.join(',')}`] : []),
  ];
}

/** Looks for the devices under `/dev` and `/sys` (a test passes a fake file system root). */
export function probeVideoDevices(root = '/'): VideoDevices {
  const list = (dir: string): string[] => {
    try {
      return readdirSync(`${root}${dir}`);
    } catch {
      return [];
    }
  };
  const vaapi = list('dev/dri').some((name) => name.startsWith('renderD'));
  const v4l2 = list('sys/class/video4linux').some((name) => {
    try {
      const label = readFileSync(`${root}sys/class/video4linux/${name}/name`, 'utf8');
      return /codec|dec|enc/i.test(label) && existsSync(`${root}dev/${name}`);
    } catch {
      return false;
    }
  });
  return { vaapi, v4l2 };
}

/**
 * The config file's `hardwareVideo`, read at once (Electron takes switches only before `ready`,
 * before the config store is open). A file that cannot be read or used gives `auto`: the store
 * reports what is wrong with it when it opens.
 */
export function hardwareVideoOf(configPath: string): HardwareVideo {
  try {
    const parsed = parseConfigText(readFileSync(configPath, 'utf8'));
    return parsed.ok ? parsed.config.hardwareVideo : 'auto';
  } catch {
    return 'auto';
  }
}
