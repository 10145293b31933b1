import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseServeArgs } from '../../../../main/cli/serve-command.js';

describe('parseServeArgs', () => {
  it('defaults to every interface on port 8787 with the given key', () => {
    const options = parseServeArgs(['--key', 'k']);
    expect(options).toMatchObject({ keys: { key: 'k' }, port: 8787 });
    expect(options.host).toBeUndefined();
  });

  it('takes --open, --host and --port 0', () => {
    expect(parseServeArgs(['--open', '--host', '127.0.0.1', '--port', '0'])).toMatchObject({
      keys: { open: true },
      host: '127.0.0.1',
      port: 0,
    });
  });

  it('takes TURN URLs, comma separated or the flag again, with the secret and a day as the ttl', () => {
    const options = parseServeArgs([
      '--key',
      'k',
      '--turn-url',
      'turn:turn.example.org:3478?transport=udp,turns:turn.example.org:5349?transport=tcp',
      '--turn-url',
      'turn:10.0.0.9',
      '--turn-secret',
      'shared',
    ]);
    expect(options.turn).toEqual({
      urls: ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:5349?transport=tcp', 'turn:10.0.0.9'],
      secret: 'shared',
      ttl: 86_400,
    });
  });

  it('takes --turn-ttl in whole seconds from a minute to a week', () => {
    const turn = (ttl: string) =>
      parseServeArgs(['--open', '--turn-url=turn:t', '--turn-secret=s', '--turn-ttl', ttl]).turn;
    expect(turn('60')?.ttl).toBe(60);
    expect(turn('604800')?.ttl).toBe(604_800);
  });

  it('has no TURN without the TURN flags', () => {
    expect(parseServeArgs(['--open']).turn).toBeUndefined();
  });

  it.each([
    [[], /Refusing to start without a key/],
    [['--key', ''], /--key must not be empty/],
    [['--open', '--port=-1'], /--port must be a whole number from 0 to 65535, got '-1'/],
    [['--open', '--port', '1.5'], /got '1.5'/],
    [['--open', '--host', ''], /--host must not be empty/],
    [['--open', 'extra'], /Unexpected argument 'extra'/],
    [['--open', '--tls-key', 'k.pem'], /go together/],
    [['--open', '--turn-url', 'turn:t'], /^--turn-url and --turn-secret go together: give both, or neither\.$/],
    [['--open', '--turn-secret', 's'], /^--turn-url and --turn-secret go together/],
    [['--open', '--turn-ttl', '600'], /^--turn-ttl needs --turn-url and --turn-secret\.$/],
    [
      ['--open', '--turn-url', 'stun:t:3478', '--turn-secret', 's'],
      /^--turn-url takes TURN URLs starting with turn: or turns:, got 'stun:t:3478'\.$/,
    ],
    [['--open', '--turn-url', 'turn:a,,turn:b', '--turn-secret', 's'], /starting with turn: or turns:, got ''/],
    [['--open', '--turn-url', 'turn:a,', '--turn-secret', 's'], /got ''/],
    [
      ['--open', '--turn-url', Array.from({ length: 17 }, (_, i) => `turn:h${i}`).join(','), '--turn-secret', 's'],
      /^--turn-url takes at most 16 URLs, got 17\.$/,
    ],
    [['--open', '--turn-url', 'turn:t', '--turn-secret', ''], /^--turn-secret must not be empty\.$/],
    [
      ['--open', '--turn-url', 'turn:t', '--turn-secret', 's'.repeat(257)],
      /^--turn-secret must be at most 256 characters\.$/,
    ],
    [
      ['--open', '--turn-url', 'turn:t', '--turn-secret', 's', '--turn-ttl', '59'],
      /^--turn-ttl must be a whole number of seconds from 60 to 604800, got '59'\.$/,
    ],
    [['--open', '--turn-url', 'turn:t', '--turn-secret', 's', '--turn-ttl', '604801'], /got '604801'/],
    [['--open', '--turn-url', 'turn:t', '--turn-secret', 's', '--turn-ttl', '3600.5'], /got '3600.5'/],
    [['--open', '--turn-url', 'turn:t', '--turn-secret', 's', '--turn-ttl', '1e4'], /got '1e4'/],
  ])('refuses %j', (args, message) => {
    expect(() => parseServeArgs(args)).toThrow(message);
  });
});

describe('parseServeArgs: secrets off the command line', () => {
  const file = (text: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'portal-secret-'));
    writeFileSync(join(dir, 'secret'), text, { mode: 0o600 });
    return join(dir, 'secret');
  };

  it("reads the room key from --key-file's first line, or from PORTAL_KEY", () => {
    expect(parseServeArgs(['--key-file', file('from-a-file\n')]).keys).toEqual({ key: 'from-a-file' });
    expect(parseServeArgs(['--key-file', file('crlf\r\nsecond line')]).keys).toEqual({ key: 'crlf' });
    expect(parseServeArgs([], { PORTAL_KEY: 'from-env' }).keys).toEqual({ key: 'from-env' });
    // A flag says more than the environment.
    expect(parseServeArgs(['--key', 'flag'], { PORTAL_KEY: 'from-env' }).keys).toEqual({ key: 'flag' });
  });

  it('reads the TURN secret from --turn-secret-file, or from PORTAL_TURN_SECRET', () => {
    expect(parseServeArgs(['--open', '--turn-url', 'turn:t', '--turn-secret-file', file('shh\n')]).turn).toEqual({
      urls: ['turn:t'],
      secret: 'shh',
      ttl: 86_400,
    });
    expect(parseServeArgs(['--open', '--turn-url', 'turn:t'], { PORTAL_TURN_SECRET: 'env' }).turn?.secret).toBe('env');
    // Left in the environment of a server without TURN, it starts none.
    expect(parseServeArgs(['--open'], { PORTAL_TURN_SECRET: 'env' }).turn).toBeUndefined();
  });

  it.each([
    [['--key', 'k', '--key-file', '/x'], {}, /^Give either --key or --key-file, not both\.$/],
    [['--open'], { PORTAL_KEY: 'k' }, /^Give either --key or --open, not both \(PORTAL_KEY is set\)\.$/],
    [['--key-file', '/nonexistent/portal-key'], {}, /^--key-file: cannot read \/nonexistent\/portal-key \(ENOENT\)\.$/],
    [['--key-file', 'EMPTY'], {}, /^--key-file must not be empty\.$/],
    [[], { PORTAL_KEY: '' }, /^PORTAL_KEY must not be empty\.$/],
    [
      ['--open', '--turn-url', 'turn:t', '--turn-secret', 's', '--turn-secret-file', '/x'],
      {},
      /^Give either --turn-secret or --turn-secret-file, not both\.$/,
    ],
    [['--open', '--turn-secret-file', '/x'], {}, /cannot read \/x/],
    [['--open', '--turn-url', 'turn:t', '--turn-secret-file', 'EMPTY'], {}, /^--turn-secret-file must not be empty\.$/],
  ])('refuses %j with %j, saying why', (args, env, message) => {
    const empty = file('\n');
    expect(() =>
      parseServeArgs(
        args.map((a) => (a === 'EMPTY' ? empty : a)),
        env,
      ),
    ).toThrow(message);
  });

  it('never quotes a secret back', () => {
    const long = 's'.repeat(257);
    expect(() => parseServeArgs(['--open', '--turn-url', 'turn:t'], { PORTAL_TURN_SECRET: long })).toThrow(
      /^PORTAL_TURN_SECRET must be at most 256 characters\.$/,
    );
  });
});

describe('parseServeArgs: --public-name', () => {
  it('takes DNS names, comma separated or the flag again, in lower case', () => {
    expect(
      parseServeArgs(['--open', '--public-name', 'Portal.Example.org,portal', '--public-name', 'b.example.'])
        .publicNames,
    ).toEqual(['portal.example.org', 'portal', 'b.example']);
    expect(parseServeArgs(['--open']).publicNames).toBeUndefined();
  });

  it.each([
    'https://portal.example.org',
    'portal.example.org:443',
    'portal.example.org/x',
    '',
    '-x.example',
    '*.example',
  ])('refuses %j, saying what it takes', (name) => {
    expect(() => parseServeArgs(['--open', `--public-name=${name}`])).toThrow(
      /^--public-name takes DNS names such as portal\.example\.org \(no scheme, port or path\), got '/,
    );
  });
});
