// The DevTools pipe client against in-memory streams standing in for the browser's fds 3 and 4.

import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CdpError, CdpPipe } from '../../../../main/chromium/cdp-pipe.js';

/** A pipe and the browser's ends of it: what the client wrote, and a way to answer. */
function setup(timeoutMs?: number) {
  const toBrowser = new PassThrough();
  const fromBrowser = new PassThrough();
  const written: string[] = [];
  let partial = '';
  toBrowser.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString('utf8')).split('\0');
    partial = parts.pop()!;
    written.push(...parts);
  });
  const pipe = new CdpPipe(toBrowser, fromBrowser, timeoutMs === undefined ? {} : { timeoutMs });
  const sent = () => written.map((text) => JSON.parse(text) as { id: number; method: string; sessionId?: string });
  return { pipe, toBrowser, fromBrowser, sent, written };
}

const message = (value: unknown) => Buffer.from(`${JSON.stringify(value)}\0`, 'utf8');
const turn = () => new Promise((resolve) => setImmediate(resolve));

afterEach(() => void vi.useRealTimers());

describe('the DevTools pipe', () => {
  it('writes each command as one JSON text ended by a NUL, with its own id and the session when given', async () => {
    const { pipe, written } = setup();
    void pipe.send('Target.getTargets').catch(() => undefined);
    void pipe.send('Page.navigate', { url: 'http://127.0.0.1:1/' }, 'S1').catch(() => undefined);
    await turn();
    expect(written.map((text) => JSON.parse(text))).toEqual([
      { id: 1, method: 'Target.getTargets', params: {} },
      { id: 2, method: 'Page.navigate', params: { url: 'http://127.0.0.1:1/' }, sessionId: 'S1' },
    ]);
    pipe.dispose();
  });

  it('answers each command from its own reply, however the bytes are cut', async () => {
    const { pipe, fromBrowser } = setup();
    const first = pipe.send('A');
    const second = pipe.send('B');
    const third = pipe.send('C');
    // Out of order; two in one piece; one cut inside a two-byte character ('é').
    const both = Buffer.concat([message({ id: 2, result: { n: 2 } }), message({ id: 3, result: {} })]);
    const last = message({ id: 1, result: { title: 'café' } });
    const cut = last.indexOf(Buffer.from('é')) + 1;
    fromBrowser.write(both);
    fromBrowser.write(last.subarray(0, cut));
    await turn();
    fromBrowser.write(last.subarray(cut));
    expect(await first).toEqual({ title: 'café' });
    expect(await second).toEqual({ n: 2 });
    expect(await third).toEqual({});
    pipe.dispose();
  });

  it('passes over the events the browser sends between answers', async () => {
    const { pipe, fromBrowser } = setup();
    const call = pipe.send('Target.getTargets');
    fromBrowser.write(message({ method: 'Target.targetCreated', params: { targetInfo: { type: 'page' } } }));
    fromBrowser.write(message({ method: 'Inspector.targetCrashed', params: {}, sessionId: 'S1' }));
    fromBrowser.write(message({ id: 1, result: { targetInfos: [] } }));
    expect(await call).toEqual({ targetInfos: [] });
    expect(pipe.isClosed).toBe(false);
    pipe.dispose();
  });

  it('refuses a command the browser answered with an error, naming the command', async () => {
    const { pipe, fromBrowser } = setup();
    const call = pipe.send('Browser.setWindowBounds');
    fromBrowser.write(message({ id: 1, error: { code: -32000, message: 'Browser window not found' } }));
    await expect(call).rejects.toThrow(new CdpError('Browser.setWindowBounds', 'Browser window not found'));
    pipe.dispose();
  });

  it('gives up on a command with no answer after its timeout', async () => {
    vi.useFakeTimers();
    const { pipe } = setup(2_000);
    const call = pipe.send('Runtime.evaluate');
    const failed = expect(call).rejects.toThrow('Runtime.evaluate: no answer within 2000 ms');
    await vi.advanceTimersByTimeAsync(2_000);
    await failed;
    pipe.dispose();
  });

  it('refuses every waiting command and says why once the browser closes its end (a dead browser)', async () => {
    const { pipe, fromBrowser } = setup();
    const waiting = pipe.send('Page.navigate');
    fromBrowser.end();
    await expect(waiting).rejects.toThrow('Page.navigate: the browser closed its DevTools pipe');
    expect(await pipe.closed).toBe('the browser closed its DevTools pipe');
    expect(pipe.isClosed).toBe(true);
    await expect(pipe.send('Target.getTargets')).rejects.toThrow(
      'Target.getTargets: the browser closed its DevTools pipe',
    );
  });

  it('takes a write to a browser that is gone (EPIPE) as the pipe closing, not as a crash', async () => {
    const { pipe, toBrowser } = setup();
    const waiting = pipe.send('Page.navigate');
    toBrowser.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    await expect(waiting).rejects.toThrow('Page.navigate: the DevTools pipe failed: write EPIPE');
    expect(await pipe.closed).toBe('the DevTools pipe failed: write EPIPE');
  });

  it('closes on something that is not the protocol', async () => {
    const { pipe, fromBrowser } = setup();
    const waiting = pipe.send('Target.getTargets');
    fromBrowser.write(Buffer.from('not json\0'));
    await expect(waiting).rejects.toThrow('not JSON');
  });

  it('closes its own end when disposed, on which the browser quits', async () => {
    const { pipe, toBrowser } = setup();
    const waiting = pipe.send('Target.getTargets');
    pipe.dispose();
    pipe.dispose();
    await expect(waiting).rejects.toThrow('Target.getTargets: the DevTools pipe was closed by the host');
    expect(toBrowser.destroyed).toBe(true);
  });
});
