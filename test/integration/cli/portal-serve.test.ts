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
