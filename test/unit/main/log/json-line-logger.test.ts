import { describe, expect, it } from 'vitest';
import { createJsonLineLogger } from '../../../../main/log/json-line-logger.js';

describe('createJsonLineLogger', () => {
  const make = (level?: 'debug' | 'info' | 'warn' | 'error') => {
    const lines: string[] = [];
    const logger = createJsonLineLogger({
      name: 'portal',
      write: (line) => lines.push(line),
      now: () => new Date('2026-11-23T00:00:00Z'),
      ...(level ? { level } : {}),
    });
    return { lines, logger };
  };

  it('writes one JSON object per event with time, level, logger name and fields', () => {
    const { lines, logger } = make();
    logger.info('join', { room: 'lobby', site: 'dublin' });
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      {
        time: '2026-11-23T00:00:00.000Z',
        level: 'info',
        logger: 'portal',
        event: 'join',
        room: 'lobby',
        site: 'dublin',
      },
    ]);
  });

  it('names children after their parent', () => {
    const { lines, logger } = make();
    logger.child('signaling').child('hub').warn('x');
    expect(JSON.parse(lines[0]!)).toMatchObject({ logger: 'portal.signaling.hub', level: 'warn' });
  });

  it('drops events below its level', () => {
    const { lines, logger } = make('warn');
    logger.debug('a');
    logger.info('b');
    logger.error('c');
    expect(lines.map((line) => JSON.parse(line).event)).toEqual(['c']);
  });

  it('never lets a field overwrite the fixed keys', () => {
    const { lines, logger } = make();
    logger.info('real', { event: 'fake', level: 'error', time: 'then' });
    expect(JSON.parse(lines[0]!)).toMatchObject({ event: 'real', level: 'info', time: '2026-11-23T00:00:00.000Z' });
  });
});
