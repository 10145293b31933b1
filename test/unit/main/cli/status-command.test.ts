import { describe, expect, it } from 'vitest';
import { healthzUrl } from '../../../../main/cli/status-command.js';
import { UsageError } from '../../../../main/util/usage-error.js';

describe("portal status's URL", () => {
  it.each([
    ['http://dublin.local:8787', 'http://dublin.local:8787/healthz'],
    ['http://dublin.local:8787/', 'http://dublin.local:8787/healthz'],
    ['http://dublin.local:8787/healthz', 'http://dublin.local:8787/healthz'],
    ['https://portal.example.org/dublin/', 'https://portal.example.org/dublin/healthz'],
    ['ws://192.0.2.7:8787/signal', 'http://192.0.2.7:8787/healthz'],
    ['wss://portal.example.org/signal', 'https://portal.example.org/healthz'],
    ['dublin.local:8787', 'http://dublin.local:8787/healthz'],
  ])('asks %s at %s', (given, asked) => {
    expect(healthzUrl(given)).toBe(asked);
  });

  it.each([
    [
      'ftp://dublin.local/',
      /'ftp:\/\/dublin.local\/' is a ftp: URL; give an http:\/\/, https:\/\/, ws:\/\/ or wss:\/\/ one/,
    ],
    ['http://', /'http:\/\/' is not a URL; give one such as http:\/\/dublin.local:8787/],
  ])('refuses %s as a mistake in the command line', (given, message) => {
    expect(() => healthzUrl(given)).toThrow(UsageError);
    expect(() => healthzUrl(given)).toThrow(message);
  });
});
