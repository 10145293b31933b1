// The camera of the link bench, the soak and the link e2e tests, injected into every page before
// its scripts run: getUserMedia returns a track of the given size that shows a recorded real scene
// (test/media/street-720p30.webm, or the clip of that size where there is one, served to the page
// at SCENE_PATH) with the wall-clock time as a row of black and white blocks over it, and
// window.__g2g decodes that code from every frame shown in video#remote
// (requestVideoFrameCallback) to give glass-to-glass latency samples and the frame rate. Same for
// Portal and the bare page. A flat test pattern costs an encoder almost no bits, so bitrate, the
// resolution ramp and loss behave nothing like a real camera's; this scene does.

import { fileURLToPath } from 'node:url';
import type { BrowserContext } from 'playwright-core';

/** Where the page finds the scene; useSceneCamera answers it with the clip (context.route). */
export const SCENE_PATH = '/__scene/street.webm';
export const SCENE_FILE = fileURLToPath(new URL('../media/street-720p30.webm', import.meta.url));
/**
 * The same scene made at other sizes: a clip of the size asked for goes out as its decoded
 * frames, any other is drawn scaled through a canvas, which at 960x540 cost the soak's browsers
 * a quarter of a core more each.
 */
const SCENE_FILES: ReadonlyArray<{ readonly width: number; readonly height: number; readonly file: string }> = [
  { width: 1280, height: 720, file: SCENE_FILE },
  { width: 960, height: 540, file: fileURLToPath(new URL('../media/street-540p30.webm', import.meta.url)) },
];

/** The clip of this size where there is one, else the 720p one. */
export const sceneFileFor = ({ width, height }: { width: number; height: number }): string =>
  SCENE_FILES.find((clip) => clip.width === width && clip.height === height)?.file ?? SCENE_FILE;

export interface SceneSize {
  readonly width: number;
  readonly height: number;
  readonly fps: number;
}

/** Gives every page of `context` the scene camera, at 1280x720 and 30 fps unless told. */
export async function useSceneCamera(
  context: BrowserContext,
  size: SceneSize = { width: 1280, height: 720, fps: 30 },
): Promise<void> {
  await context.route(`**${SCENE_PATH}`, (route) =>
    route.fulfill({
      path: sceneFileFor(size),
      contentType: 'video/webm',
      headers: { 'cache-control': 'max-age=3600' },
    }),
  );
  await context.addInitScript({ content: sceneCameraScript(size) });
}

export const sceneCameraScript = ({ width, height, fps }: SceneSize): string => `(() => {
  const W = ${width}, H = ${height}, FPS = ${fps};
  // The code strip's blocks as at 1280 wide, scaled down with a narrower one (even, for chroma):
  // at a fixed size the last of 24 blocks lies past the edge of anything under 1184 wide.
  const even = (x) => 2 * Math.max(1, Math.round(x / 2)), S = Math.min(1, W / 1280);
  const BITS = 24, BLOCK = even(40 * S), PITCH = even(48 * S), TOP = even(40 * S), LEFT = even(20 * S);
  const nowMs = () => performance.timeOrigin + performance.now();
  const canvas = document.createElement('canvas');
  canvas.width = W; canvas.height = H;
  const ctx = canvas.getContext('2d');
  // A real scene: a flat pattern costs the encoder almost nothing and hides how it behaves.
  const scene = document.createElement('video');
  scene.muted = true; scene.loop = true; scene.playsInline = true; scene.src = '${SCENE_PATH}';
  scene.play().catch(() => {});
  let hue = 0;
  const STRIP = TOP + BLOCK + even(40 * S);
  const clock = () => Math.round(nowMs()) % (1 << BITS);
  const paintCanvas = () => {
    hue = (hue + 3) % 360;
    if (scene.readyState >= 2) ctx.drawImage(scene, 0, 0, W, H);
    else { ctx.fillStyle = 'hsl(' + hue + ', 40%, 45%)'; ctx.fillRect(0, 0, W, H); }
    const code = clock();
    ctx.fillStyle = '#808080';
    ctx.fillRect(0, 0, W, STRIP);
    for (let i = 0; i < BITS; i++) {
      ctx.fillStyle = (code >> (BITS - 1 - i)) & 1 ? '#ffffff' : '#000000';
      ctx.fillRect(LEFT + i * PITCH, TOP, BLOCK, BLOCK);
    }
  };
  // Where the scene is already the size asked for, its decoded I420 frames get the clock written
  // into their planes and go out through a track generator: what a camera costs is a copy, not
  // two colour conversions through a canvas (which cost a third of a core at 720p). Else, and
  // until the scene plays, the canvas.
  const Generator = window.MediaStreamTrackGenerator;
  let track;
  if (typeof Generator === 'function') {
    const generator = new Generator({ kind: 'video' });
    const writer = generator.writable.getWriter();
    let buffer = null, busy = false;
    const next = async () => {
      const timestamp = Math.round(performance.now() * 1000);
      if (scene.readyState >= 2 && scene.videoWidth === W && scene.videoHeight === H) {
        const source = new VideoFrame(scene, { timestamp });
        if (source.format === 'I420') {
          const size = source.allocationSize();
          if (buffer === null || buffer.length !== size) buffer = new Uint8Array(size);
          let layout;
          try {
            layout = await source.copyTo(buffer);
          } finally {
            source.close();
          }
          const [luma, u, v] = layout;
          for (let r = 0; r < STRIP; r++) buffer.fill(128, luma.offset + r * luma.stride, luma.offset + r * luma.stride + W);
          for (let r = 0; r < STRIP / 2; r++) {
            buffer.fill(128, u.offset + r * u.stride, u.offset + r * u.stride + W / 2);
            buffer.fill(128, v.offset + r * v.stride, v.offset + r * v.stride + W / 2);
          }
          const code = clock();
          for (let i = 0; i < BITS; i++) {
            const value = (code >> (BITS - 1 - i)) & 1 ? 235 : 16;
            for (let r = TOP; r < TOP + BLOCK; r++) {
              const at = luma.offset + r * luma.stride + LEFT + i * PITCH;
              buffer.fill(value, at, at + BLOCK);
            }
          }
          return new VideoFrame(buffer, { format: 'I420', codedWidth: W, codedHeight: H, timestamp, layout });
        }
        source.close();
      }
      paintCanvas();
      return new VideoFrame(canvas, { timestamp });
    };
    setInterval(() => {
      if (busy) return;
      busy = true;
      next()
        .then((frame) => writer.write(frame).catch(() => frame.close()))
        .catch(() => {})
        .finally(() => (busy = false));
    }, 1000 / FPS);
    track = generator;
  } else {
    paintCanvas();
    setInterval(paintCanvas, 1000 / FPS);
    track = canvas.captureStream(FPS).getVideoTracks()[0];
  }
  navigator.mediaDevices.getUserMedia = async () => new MediaStream([track.clone()]);
  navigator.mediaDevices.enumerateDevices = async () => [];

  const samples = [];
  let frames = 0, width = 0, lastShown = 0, longestGap = 0, firstInTake = 0;
  // Every gap between shown frames over a second (a freeze a person sees), not just the longest.
  let longGaps = [];
  // The clock is read from the luma of one row of the shown frame, copied out of the frame
  // alone (VideoFrame.copyTo with a rect): drawing the whole frame into a canvas to read a
  // strip cost a quarter of a core at 720p, more than showing the video did.
  const watch = (video) => {
    const onFrame = () => {
      const shownAt = nowMs();
      if (lastShown > 0) {
        longestGap = Math.max(longestGap, shownAt - lastShown);
        if (shownAt - lastShown > 1000) longGaps.push(Math.round(shownAt - lastShown));
      }
      lastShown = shownAt;
      if (firstInTake === 0) firstInTake = shownAt;
      frames++;
      width = video.videoWidth;
      let frame = null;
      try {
        frame = new VideoFrame(video);
        const vw = frame.displayWidth, vh = frame.displayHeight;
        const y = Math.floor(((TOP + BLOCK / 2) * vh) / H / 2) * 2;
        const rect = { x: 0, y, width: vw - (vw % 2), height: 2 };
        // Decoded frames are I420 or NV12 (the first plane is luma); a local canvas's are RGB
        // of four bytes a pixel (green at +1 whatever the order).
        const rgb = /^(RGB|BGR)/.test(frame.format ?? '');
        // A buffer of its own per copy: copies can overlap, and the size can change between them.
        const row = new Uint8Array(frame.allocationSize({ rect }));
        void frame.copyTo(row, { rect }).then((layout) => {
          let code = 0;
          for (let i = 0; i < BITS; i++) {
            const x = Math.round(((LEFT + i * PITCH + BLOCK / 2) * vw) / W);
            code = (code << 1) | (row[layout[0].offset + (rgb ? x * 4 + 1 : x)] > 128 ? 1 : 0);
          }
          const latency = (((Math.round(shownAt) % (1 << BITS)) - code) + (1 << BITS)) % (1 << BITS);
          if (latency < 5000) samples.push(latency);
        }).catch(() => {}).finally(() => frame.close());
      } catch {
        frame?.close();
      }
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  };
  window.__g2g = {
    take() {
      const s = samples.splice(0), f = frames, gap = Math.round(longestGap), long = longGaps;
      // When the first and last frames of this take were shown, and which page load this is: a
      // gap across a reload (a new page, a restarted browser) is one no page sees whole.
      const shown = f === 0 ? null : { first: Math.round(firstInTake), last: Math.round(lastShown) };
      frames = 0; longestGap = 0; longGaps = []; firstInTake = 0;
      return { samples: s, frames: f, width, longestGapMs: gap, gapsOver1sMs: long, shown, page: performance.timeOrigin };
    },
  };
  const start = () => {
    const video = document.querySelector('video#remote');
    if (video) watch(video); else setTimeout(start, 50);
  };
  document.addEventListener('DOMContentLoaded', start);
})();`;
