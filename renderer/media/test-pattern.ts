// A moving test pattern with the site name and a clock, sent when there is no camera so the
// partner sees a status, never a black frame.

export interface TestPattern {
  readonly stream: MediaStream;
  stop(): void;
}

export function startTestPattern(site: string, width: number, height: number, fps: number, note: string): TestPattern {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (ctx === null) throw new Error('This browser cannot draw the test pattern (no 2D canvas).');
  const colours = ['#c0c0c0', '#c0c000', '#00c0c0', '#00c000', '#c000c0', '#c00000', '#0000c0'];
  const draw = (): void => {
    const now = new Date();
    const barWidth = width / colours.length;
    colours.forEach((colour, i) => {
      ctx.fillStyle = colour;
      ctx.fillRect(i * barWidth, 0, barWidth + 1, height);
    });
    const sweep = ((now.getTime() / 1000) % 4) / 4;
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(sweep * width, 0, Math.max(4, width / 160), height);
    ctx.fillStyle = 'rgba(0, 0, 0, 0.7)';
    ctx.fillRect(0, height * 0.35, width, height * 0.3);
    ctx.fillStyle = '#ffffff';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.font = `bold ${Math.round(height / 10)}px sans-serif`;
    ctx.fillText(site, width / 2, height * 0.43);
    ctx.font = `${Math.round(height / 20)}px sans-serif`;
    ctx.fillText(`${now.toLocaleTimeString()}  ·  ${note}`, width / 2, height * 0.56);
  };
  draw();
  const timer = setInterval(draw, 1000 / fps);
  const stream = canvas.captureStream(fps);
  return {
    stream,
    stop() {
      clearInterval(timer);
      for (const track of stream.getTracks()) track.stop();
    },
  };
}
