import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, type RunningCli } from '../../support/built-cli.js';
import { makeSelfSignedCert } from '../../support/self-signed-cert.js';
import { TestSite } from '../../support/test-site.js';

const started: RunningCli[] = [];
const serve = (...args: string[]) => {
  const cli = runCli(['serve', ...args]);
  started.push(cli);
  return cli;
};

afterEach(() => {
  for (const cli of started.splice(0)) if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
});

describe('portal serve', () => {
  it('refuses to start without --key or --open, and says why', async () => {
    const cli = serve('--port', '0');
    expect((await cli.exited).code).toBe(2);
    expect(cli.stderr()).toMatch(/Refusing to start without a key: pass --key K .* or --open/);
  });

  it.each([
    [['--port', 'abc', '--open'], /--port must be a whole number from 0 to 65535, got 'abc'/],
    [['--port', '70000', '--open'], /--port must be a whole number from 0 to 65535, got '70000'/],
    [['--key', 'k', '--open'], /either --key or --open, not both/],
    [['--open', '--tls-cert', 'x.pem'], /--tls-cert and --tls-key go together/],
    [
      ['--open', '--tls-cert', '/nonexistent/c.pem', '--tls-key', '/nonexistent/k.pem'],
      /--tls-cert: cannot read \/nonexistent\/c.pem \(ENOENT\)/,
    ],
    [['--open', '--colour'], /Unknown option '--colour'/],
    [['--open', '--turn-url', 'turn:127.0.0.1:3478'], /--turn-url and --turn-secret go together/],
    [
      ['--open', '--turn-url', 'turn:t', '--turn-secret', 's', '--turn-ttl', '30'],
      /--turn-ttl must be a whole number of seconds from 60 to 604800, got '30'/,
    ],
  ])('rejects %j with a clear message and exit code 2', async (args, message) => {
    const cli = serve(...args);
    expect((await cli.exited).code).toBe(2);
    expect(cli.stderr()).toMatch(message);
  });

  it('prints one listening line on --port 0, serves, and on SIGTERM closes clients with 1001 and exits 0', async () => {
    const cli = serve('--host', '127.0.0.1', '--port', '0', '--key', 'k');
    const [, url] = await cli.waitForLine(/^listening on (http:\/\/127\.0\.0\.1:\d+)$/);
    expect(
      cli
        .stdout()
        .split('\n')
        .filter((line) => line.startsWith('listening on')),
    ).toHaveLength(1);
    expect(await (await fetch(`${url}/healthz`)).json()).toMatchObject({ status: 'ok' });
    const site = await TestSite.join(`${url!.replace('http', 'ws')}/signal`, 'lobby', 'a', 'k');
    cli.child.kill('SIGTERM');
    expect((await site.closedWithin()).code).toBe(1001);
    expect(await cli.exited).toEqual({ code: 0, signal: null });
  });

  it('stops cleanly on SIGINT too', async () => {
    const cli = serve('--host', '127.0.0.1', '--port', '0', '--open');
    await cli.waitForLine(/^listening on /);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toEqual({ code: 0, signal: null });
  });

  it('serves https with --tls-cert and --tls-key', async () => {
    const { certFile, keyFile } = makeSelfSignedCert();
    const cli = serve('--host', '127.0.0.1', '--port', '0', '--open', '--tls-cert', certFile, '--tls-key', keyFile);
    await cli.waitForLine(/^listening on https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('hands each site TURN credentials for its name, and never prints the TURN secret', async () => {
    const secret = 'turn-secret-that-stays-here';
    const cli = serve(
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--open',
      '--turn-url',
      'turn:127.0.0.1:3478?transport=udp,turns:127.0.0.1:5349',
      '--turn-secret',
      secret,
      '--turn-ttl',
      '600',
    );
    const [, url] = await cli.waitForLine(/^listening on (\S+)$/);
    const site = await TestSite.join(`${url!.replace('http', 'ws')}/signal`, 'lobby', 'dublin');
    const joined = site.history[0];
    if (joined?.type !== 'joined') throw new Error('the first message is joined');
    const [turn] = joined.iceServers ?? [];
    expect(joined.iceServersTtl).toBe(600);
    expect(turn).toMatchObject({
      urls: ['turn:127.0.0.1:3478?transport=udp', 'turns:127.0.0.1:5349'],
      username: expect.stringMatching(/^\d+:dublin$/),
    });
    const expiry = Number(turn!.username!.split(':')[0]);
    expect(Math.abs(expiry - (Date.now() / 1000 + 600))).toBeLessThan(30);
    expect(turn!.credential).toBe(createHmac('sha1', secret).update(turn!.username!).digest('base64'));
    site.close();
    cli.child.kill('SIGTERM');
    await cli.exited;
    expect(cli.stdout()).toMatch(/"event":"listening".*"turn":"turn:127\.0\.0\.1:3478\?transport=udp,turns:/);
    expect(cli.stdout() + cli.stderr()).not.toContain(secret);
  });

  it('writes structured log lines and never the key', async () => {
    const cli = serve('--host', '127.0.0.1', '--port', '0', '--key', 'very-secret-key');
    const [, url] = await cli.waitForLine(/^listening on (\S+)$/);
    const site = await TestSite.join(`${url!.replace('http', 'ws')}/signal`, 'lobby', 'a', 'very-secret-key');
    await cli.waitForLine(/"event":"join"/);
    site.close();
    cli.child.kill('SIGTERM');
    await cli.exited;
    const logLines = cli
      .stdout()
      .split('\n')
      .filter((line) => line.startsWith('{'));
    for (const line of logLines)
      expect(JSON.parse(line)).toMatchObject({
        time: expect.any(String),
        level: expect.any(String),
        event: expect.any(String),
      });
    expect(cli.stdout()).not.toMatch(/very-secret-key/);
  });
});
