// `portal fetch-electron`, as `npm start` runs it on a first start. Electron's real download
// server is out of reach here, so ELECTRON_MIRROR points the `electron` package's downloader at
// a server of the test's own: unreachable, silent, trickling, or too slow. None of them can
// serve the real archive (its checksum ships with the package), so the success path is not
// tried here; every way of failing is, and each must end quickly with a reason.

import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../support/built-cli.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A mirror whose every request gets `answer`; counts the requests. */
async function mirror(answer: (res: ServerResponse) => void) {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    answer(res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, requests };
}

/** Bytes in chunks every `everyMs`: `total` of them, or without end when null. */
function trickle(total: number | null, chunk: number, everyMs: number) {
  return (res: ServerResponse): void => {
    res.writeHead(200, total === null ? {} : { 'content-length': String(total) });
    let sent = 0;
    const timer = setInterval(() => {
      if (res.destroyed) return clearInterval(timer);
      res.write(Buffer.alloc(chunk));
      sent += chunk;
      if (total !== null && sent >= total) {
        clearInterval(timer);
        res.end();
      }
    }, everyMs);
    res.on('close', () => clearInterval(timer));
  };
}

/** Runs the command with no Electron binary, a fresh download cache and the given mirror. */
async function fetchWith(mirrorUrl: string, args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const started = Date.now();
  const cli = runCli(['fetch-electron', ...args], {
    ELECTRON_MIRROR: mirrorUrl,
    electron_config_cache: mkdtempSync(join(tmpdir(), 'portal-electron-cache-')),
    PORTAL_ELECTRON: '',
    PORTAL_SHELL: '',
    ...env,
  });
  const { code } = await cli.exited;
  return { code, out: cli.stdout(), seconds: (Date.now() - started) / 1000 };
}

describe('portal fetch-electron', () => {
  it('says the server cannot be reached, and fails at once', async () => {
    const closed = await mirror(() => {});
    servers.pop()!.close();
    const { code, out, seconds } = await fetchWith(closed.url);
    expect(code).toBe(1);
    expect(out).toMatch(/could not fetch Electron: the download server could not be reached \(ECONNREFUSED\)/);
    expect(out).toMatch(/runs in the system Chromium instead/);
    expect(seconds).toBeLessThan(10);
  });

  it('shows progress as the archive arrives, and refuses an archive whose checksum is wrong', async () => {
    const server = await mirror(trickle(1_000_000, 100_000, 20));
    const { code, out } = await fetchWith(server.url);
    expect(server.requests).toEqual([expect.stringMatching(/^\/v\d+\.\d+\.\d+\/electron-v[\d.]+-linux-\w+\.zip$/)]);
    const percents = [...out.matchAll(/fetching Electron: (\d+)% of 1\.0 MB/g)].map((m) => Number(m[1]));
    expect(percents.length).toBeGreaterThanOrEqual(5);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(percents.at(-1)).toBe(100);
    expect(out).toMatch(/could not fetch Electron: the downloaded archive did not match its checksum/);
    expect(code).toBe(1);
  });

  it('gives up on a server that says nothing, after --stall seconds', async () => {
    const server = await mirror(() => {});
    const { code, out, seconds } = await fetchWith(server.url, ['--stall', '1']);
    expect(code).toBe(1);
    expect(out).toMatch(/could not fetch Electron: nothing arrived for 1 s/);
    expect(seconds).toBeLessThan(8);
  });

  it('gives up on a download that takes longer than --timeout, however steadily it trickles', async () => {
    const server = await mirror(trickle(null, 1000, 100));
    const { code, out, seconds } = await fetchWith(server.url, ['--timeout', '2', '--stall', '30']);
    expect(code).toBe(1);
    expect(out).toMatch(/could not fetch Electron: it took longer than 2 s/);
    expect(seconds).toBeLessThan(10);
  });

  it('fetches nothing when Electron is already here, or when PORTAL_SHELL=chromium', async () => {
    const server = await mirror(trickle(10, 10, 1));
    const binary = join(mkdtempSync(join(tmpdir(), 'portal-electron-')), 'electron');
    writeFileSync(binary, '#!/bin/sh\n');
    chmodSync(binary, 0o755);
    const here = await fetchWith(server.url, [], { PORTAL_ELECTRON: binary });
    expect(here.code).toBe(0);
    expect(here.out).toContain(`Electron is here (${binary})`);
    const chromium = await fetchWith(server.url, [], { PORTAL_SHELL: 'chromium' });
    expect(chromium.code).toBe(0);
    expect(chromium.out).toContain('PORTAL_SHELL=chromium, so Electron is not fetched');
    expect(server.requests).toEqual([]);
  });

  it('refuses a limit that is not a whole number of seconds', async () => {
    const { code } = await fetchWith('http://127.0.0.1:1/', ['--timeout', 'soon']);
    expect(code).toBe(2);
  });
});
