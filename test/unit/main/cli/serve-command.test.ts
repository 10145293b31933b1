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

  it.each([
    [[], /Refusing to start without a key/],
    [['--key', ''], /--key must not be empty/],
    [['--open', '--port=-1'], /--port must be a whole number from 0 to 65535, got '-1'/],
    [['--open', '--port', '1.5'], /got '1.5'/],
    [['--open', '--host', ''], /--host must not be empty/],
    [['--open', 'extra'], /Unexpected argument 'extra'/],
    [['--open', '--tls-key', 'k.pem'], /go together/],
  ])('refuses %j', (args, message) => {
    expect(() => parseServeArgs(args)).toThrow(message);
  });
});
