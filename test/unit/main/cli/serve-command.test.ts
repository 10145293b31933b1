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
