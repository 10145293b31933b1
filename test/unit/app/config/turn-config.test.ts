import { describe, expect, it } from 'vitest';
import { TurnConfigSchema } from '../../../../app/config/turn-config.js';

describe('TurnConfigSchema', () => {
  it('takes URLs, a secret and a ttl, and gives the ttl a day when it is left out', () => {
    expect(TurnConfigSchema.parse({ urls: ['turn:a:3478', 'turns:a:5349'], secret: 's', ttl: 600 })).toEqual({
      urls: ['turn:a:3478', 'turns:a:5349'],
      secret: 's',
      ttl: 600,
    });
    expect(TurnConfigSchema.parse({ urls: ['turn:a'], secret: 's' }).ttl).toBe(86_400);
  });

  it.each([
    ['a stun: URL', { urls: ['stun:a:3478'], secret: 's' }],
    ['no URL', { urls: [], secret: 's' }],
    ['17 URLs', { urls: Array.from({ length: 17 }, (_, i) => `turn:h${i}`), secret: 's' }],
    ['an empty secret', { urls: ['turn:a'], secret: '' }],
    ['a ttl under a minute', { urls: ['turn:a'], secret: 's', ttl: 59 }],
    ['a ttl over a week', { urls: ['turn:a'], secret: 's', ttl: 604_801 }],
    ['a ttl in part seconds', { urls: ['turn:a'], secret: 's', ttl: 90.5 }],
  ])('refuses %s', (_name, value) => {
    expect(TurnConfigSchema.safeParse(value).success).toBe(false);
  });
});
