// A virtual X display for tests of the kiosk shell, which runs a real, non-headless Chromium. It
// runs no window manager, as a bare kiosk (xinit) does not, and keeps its screen in a file
// (Xvfb's -fbdir, in XWD format), so a test reads what the screen shows without an X client.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Xvfb {
  readonly display: string;
  /** False once the server has exited (by itself or through stop). */
  running(): boolean;
  /** What the screen shows now. */
  screenshot(): Screenshot;
  stop(): Promise<void>;
}

export interface Screenshot {
  readonly width: number;
  readonly height: number;
  /** The pixel's colour as `#rrggbb`. */
  color(x: number, y: number): string;
}

/** One screen of `size` (1280x720 unless told): a kiosk fills it, so it sets what the page draws. */
export async function startXvfb(size: { width: number; height: number } = { width: 1280, height: 720 }): Promise<Xvfb> {
  let number = 90 + Math.floor(Math.random() * 50);
  while (existsSync(`/tmp/.X11-unix/X${number}`) || existsSync(`/tmp/.X${number}-lock`)) number++;
  const fbdir = mkdtempSync(join(tmpdir(), 'portal-xvfb-'));
  const child: ChildProcess = spawn(
    'Xvfb',
    [`:${number}`, '-screen', '0', `${size.width}x${size.height}x24`, '-nolisten', 'tcp', '-fbdir', fbdir],
    {
      stdio: 'ignore',
    },
  );
  const started = Date.now();
  while (!existsSync(`/tmp/.X11-unix/X${number}`)) {
    if (child.exitCode !== null) throw new Error(`Xvfb :${number} exited with ${child.exitCode}`);
    if (Date.now() - started > 10_000) throw new Error(`Xvfb :${number} did not start within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    display: `:${number}`,
    running: () => child.exitCode === null && child.signalCode === null,
    screenshot: () => readXwd(readFileSync(join(fbdir, 'Xvfb_screen0'))),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
      rmSync(fbdir, { recursive: true, force: true });
    },
  };
}

/** An XWD image as Xvfb writes its screen: a ZPixmap, TrueColor, 32 bits a pixel. */
export function readXwd(file: Buffer): Screenshot {
  const field = (n: number) => file.readUInt32BE(n * 4);
  const [headerSize, format, width, height, byteOrder, bitsPerPixel, bytesPerLine, visualClass] = [
    field(0),
    field(2),
    field(4),
    field(5),
    field(7),
    field(11),
    field(12),
    field(13),
  ];
  const [redMask, greenMask, blueMask, colors] = [field(14), field(15), field(16), field(19)];
  if (format !== 2 || bitsPerPixel !== 32 || visualClass !== 4) {
    throw new Error(`not a 32-bit TrueColor XWD screen (format ${format}, ${bitsPerPixel} bpp, visual ${visualClass})`);
  }
  const data = headerSize + colors * 12;
  // A channel's value: its bits, shifted down by the mask's trailing zeros.
  const channel = (value: number, mask: number) => (value & mask) >>> (31 - Math.clz32(mask & -mask));
  const hex = (n: number) => n.toString(16).padStart(2, '0');
  return {
    width,
    height,
    color(x, y) {
      const at = data + y * bytesPerLine + x * 4;
      const value = byteOrder === 0 ? file.readUInt32LE(at) : file.readUInt32BE(at);
      return `#${hex(channel(value, redMask))}${hex(channel(value, greenMask))}${hex(channel(value, blueMask))}`;
    },
  };
}
