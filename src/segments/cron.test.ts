import { describe, expect, it } from 'vitest';
import { nextCronTime, parseCron } from './cron.ts';

const at = (iso: string) => Date.parse(iso);
const next = (expr: string, after: string) =>
  new Date(nextCronTime(parseCron(expr), at(after))!).toISOString();

describe('cron expressions (UTC)', () => {
  it.each([
    ['*/15 * * * *', '2025-05-01T10:07:30Z', '2025-05-01T10:15:00.000Z'],
    ['*/15 * * * *', '2025-05-01T10:15:00Z', '2025-05-01T10:30:00.000Z'],
    ['0 6 * * *', '2025-05-01T06:00:00Z', '2025-05-02T06:00:00.000Z'],
    ['30 9 * * MON-FRI', '2025-05-02T10:00:00Z', '2025-05-05T09:30:00.000Z'], // Friday → Monday
    ['0 0 1 * *', '2025-01-31T12:00:00Z', '2025-02-01T00:00:00.000Z'],
    ['0 0 29 2 *', '2025-03-01T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    ['@hourly', '2025-05-01T10:59:59Z', '2025-05-01T11:00:00.000Z'],
    ['0 12 13 * 5', '2025-06-01T00:00:00Z', '2025-06-06T12:00:00.000Z'], // 13th OR Friday
    ['0 0 * * 7', '2025-05-01T00:00:00Z', '2025-05-04T00:00:00.000Z'], // 7 = Sunday
    ['5-10/5 1,3 * jan *', '2025-01-01T01:06:00Z', '2025-01-01T01:10:00.000Z'],
  ])('%s after %s is %s', (expr, after, expected) => {
    expect(next(expr, after)).toBe(expected);
  });

  it.each([
    ['* * * *', /five fields/],
    ['60 * * * *', /minute: 60 is outside 0-59/],
    ['* 24 * * *', /hour/],
    ['*/0 * * * *', /step/],
    ['5-1 * * * *', /backwards/],
    ['0 0 30 2 *', /never fires/],
    ['x * * * *', /not a number/],
  ])('refuses %s', (expr, message) => {
    expect(() => parseCron(expr)).toThrow(message);
  });
});
