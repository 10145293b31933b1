// The bench's instrument, injected into every page before its scripts run: getUserMedia returns
// a 1280x720 canvas that paints a recorded real scene (test/media/street-720p30.webm, served to
// the page at SCENE_PATH) with the wall-clock time as a row of black and white blocks over it, and
// window.__g2g decodes that code from every frame shown in video#remote (requestVideoFrameCallback)
// to give glass-to-glass latency samples and the frame rate. Same for Portal and the bare page.

/** Where the page finds the scene; the bench answers it with the clip (context.route). */
export const SCENE_PATH = '/__bench/scene.webm';

export const CLOCK_CAMERA_SCRIPT = `(() => {
  const BITS = 24, BLOCK = 40, PITCH = 48, TOP = 40, W = 1280, H = 720, FPS = 30;
  const nowMs = () => performance.timeOrigin + performance.now();
  const canvas = document.createElement('canvas');
  canvas.width = W; canvas.height = H;
  const ctx = canvas.getContext('2d');
  // A real scene: a flat pattern costs the encoder almost nothing and hides how it behaves.
  const scene = document.createElement('video');
  scene.muted = true; scene.loop = true; scene.playsInline = true; scene.src = '${SCENE_PATH}';
  scene.play().catch(() => {});
  let hue = 0;
  const paint = () => {
    hue = (hue + 3) % 360;
    if (scene.readyState >= 2) ctx.drawImage(scene, 0, 0, W, H);
    else { ctx.fillStyle = 'hsl(' + hue + ', 40%, 45%)'; ctx.fillRect(0, 0, W, H); }
    const code = Math.round(nowMs()) % (1 << BITS);
    ctx.fillStyle = '#808080';
    ctx.fillRect(0, 0, W, TOP + BLOCK + 40);
    for (let i = 0; i < BITS; i++) {
      ctx.fillStyle = (code >> (BITS - 1 - i)) & 1 ? '#ffffff' : '#000000';
      ctx.fillRect(20 + i * PITCH, TOP, BLOCK, BLOCK);
    }
  };
  paint();
  setInterval(paint, 1000 / FPS);
  const stream = canvas.captureStream(FPS);
  navigator.mediaDevices.getUserMedia = async () => new MediaStream([stream.getVideoTracks()[0].clone()]);
  navigator.mediaDevices.enumerateDevices = async () => [];

  const samples = [];
  let frames = 0, width = 0;
  const reader = document.createElement('canvas');
  reader.width = W; reader.height = TOP + BLOCK + 40;
  const rctx = reader.getContext('2d', { willReadFrequently: true });
  const watch = (video) => {
    const onFrame = () => {
      const shownAt = nowMs();
      frames++;
      width = video.videoWidth;
      if (video.videoWidth > 0) {
        // Scaled back to the painted size, so the blocks are found whatever the received size.
        rctx.drawImage(video, 0, 0, video.videoWidth, video.videoHeight, 0, 0, W, H);
        const pixels = rctx.getImageData(0, 0, W, reader.height).data;
        let code = 0;
        for (let i = 0; i < BITS; i++) {
          const x = 20 + i * PITCH + BLOCK / 2, y = TOP + BLOCK / 2;
          const o = (y * W + x) * 4;
          code = (code << 1) | (pixels[o] > 128 ? 1 : 0);
        }
        const latency = (((Math.round(shownAt) % (1 << BITS)) - code) + (1 << BITS)) % (1 << BITS);
        if (latency < 5000) samples.push(latency);
      }
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  };
  window.__g2g = {
    take() { const s = samples.splice(0); const f = frames; frames = 0; return { samples: s, frames: f, width }; },
  };
  const start = () => {
    const video = document.querySelector('video#remote');
    if (video) watch(video); else setTimeout(start, 50);
  };
  document.addEventListener('DOMContentLoaded', start);
})();`;
