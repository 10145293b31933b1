// `portal serve` as its users run it: secrets kept off the command line (a file, the
// environment), the page answering only to its names (--public-name, as a reverse proxy passes
// the browser's Host on), and the page's CSP naming the signaling server of its URL.

import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, type RunningCli } from '../../support/built-cli.js';
import { TestSite } from '../../support/test-site.js';

const started: RunningCli[] = [];
afterEach(() => {
  for (const cli of started.splice(0)) if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
});

async function serve(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ cli: RunningCli; port: number }> {
  const cli = runCli(['serve', '--host', '127.0.0.1', '--port', '0', ...args], env);
  started.push(cli);
  const [, url] = await cli.waitForLine(/^listening on (\S+)$/);
  return { cli, port: Number(new URL(url!).port) };
}

function secretFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'portal-secret-')), 'secret');
  writeFileSync(file, text, { mode: 0o600 });
  return file;
}

/** What every user of the machine sees of the process in `ps`. */
const commandLine = (cli: RunningCli): string =>
  readFileSync(`/proc/${cli.child.pid}/cmdline`, 'utf8').split('\0').join(' ');

function get(port: number, path: string, host: string) {
  return new Promise<{ status: number; csp: string | undefined; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host }, setHost: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, csp: res.headers['content-security-policy'] as string, body }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('portal serve keeps its secrets off the command line', () => {
  it('takes the room key from --key-file, and it is nowhere in ps', async () => {
    const key = 'room-key-from-a-file';
    const { cli, port } = await serve(['--key-file', secretFile(`${key}\n`)]);
    expect(commandLine(cli)).toContain('--key-file');
    expect(commandLine(cli)).not.toContain(key);
    const site = await TestSite.join(`ws://127.0.0.1:${port}/signal`, 'lobby', 'dublin', key);
    site.close();
    const wrong = await TestSite.connect(`ws://127.0.0.1:${port}/signal`);
    wrong.send({ type: 'join', v: 1, room: 'lobby', site: 'oslo', key: `${key}\n` });
    expect((await wrong.next('error')).code).toBe('unauthorized');
  });

  it('takes the room key and the TURN secret from PORTAL_KEY and PORTAL_TURN_SECRET', async () => {
    const { cli, port } = await serve(['--turn-url', 'turn:127.0.0.1:3478'], {
      PORTAL_KEY: 'env-room-key',
      PORTAL_TURN_SECRET: 'env-turn-secret',
    });
    expect(commandLine(cli)).not.toMatch(/env-room-key|env-turn-secret/);
    const site = await TestSite.connect(`ws://127.0.0.1:${port}/signal`);
    site.send({ type: 'join', v: 1, room: 'lobby', site: 'dublin', key: 'env-room-key' });
    const joined = await site.next('joined');
    const turn = joined.iceServers!.at(-1)!;
    expect(turn.credential).toBe(createHmac('sha1', 'env-turn-secret').update(turn.username!).digest('base64'));
    site.close();
  });

  it('takes the TURN secret from --turn-secret-file', async () => {
    const { port } = await serve([
      '--open',
      '--turn-url',
      'turn:127.0.0.1:3478',
      '--turn-secret-file',
      secretFile('file-turn-secret\n'),
    ]);
    const site = await TestSite.join(`ws://127.0.0.1:${port}/signal`, 'lobby', 'dublin');
    const turn = site.history.find((m) => m.type === 'joined')!;
    const server = (turn as { iceServers: Array<{ username: string; credential: string }> }).iceServers.at(-1)!;
    expect(server.credential).toBe(createHmac('sha1', 'file-turn-secret').update(server.username).digest('base64'));
    site.close();
  });

  it('says which secret file it cannot read, and exits 2', async () => {
    const cli = runCli(['serve', '--port', '0', '--key-file', '/nonexistent/portal.key']);
    started.push(cli);
    expect((await cli.exited).code).toBe(2);
    expect(cli.stderr()).toMatch(/^portal: --key-file: cannot read \/nonexistent\/portal\.key \(ENOENT\)\./);
  });
});

describe('portal serve answers to its own names', () => {
  it('serves the page by --public-name, as a reverse proxy passes it on, and by address, never by another name', async () => {
    const { port } = await serve(['--open', '--public-name', 'portal.example.org,portal']);
    for (const host of [
      'portal.example.org',
      'PORTAL.example.org:443',
      `portal:${port}`,
      `127.0.0.1:${port}`,
      `localhost:${port}`,
    ]) {
      expect({ host, status: (await get(port, '/', host)).status }).toEqual({ host, status: 200 });
    }
    const refused = await get(port, '/', 'rebound.example');
    expect(refused.status).toBe(403);
    expect(refused.body).toMatch(/^This server does not answer to the name 'rebound\.example'.*--public-name\.\n$/);
    // Health and signaling answer to any name: monitoring and the partners use their own.
    expect((await get(port, '/healthz', 'rebound.example')).status).toBe(200);
    const site = await TestSite.connect(`ws://127.0.0.1:${port}/signal`, { headers: { host: 'rebound.example' } });
    site.send({ type: 'join', v: 1, room: 'lobby', site: 'dublin' });
    await site.next('joined');
    site.close();
  });

  it('refuses the page by a name it was not given', async () => {
    const { port } = await serve(['--open']);
    expect((await get(port, '/', 'portal.example.org')).status).toBe(403);
  });

  it("names the signaling server of the page's URL in its CSP, and nothing of a bad one", async () => {
    const { port } = await serve(['--open']);
    const host = `127.0.0.1:${port}`;
    expect((await get(port, '/?room=r&site=s', host)).csp).toContain("connect-src 'self';");
    expect((await get(port, `/?signal=${encodeURIComponent('wss://signal.example.org/signal')}`, host)).csp).toContain(
      "connect-src 'self' wss://signal.example.org https://signal.example.org;",
    );
    expect(
      (await get(port, `/?signal=${encodeURIComponent("ws://a;script-src 'unsafe-inline'/")}`, host)).csp,
    ).toContain("connect-src 'self';");
  });
});
