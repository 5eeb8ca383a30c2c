import { describe, expect, it } from 'vitest';
import {
  defaultIdentitySettings,
  type IdentitySettings,
  type MatchRecord,
  matchRecordOf,
} from '../core/identity/index.ts';
import { classifyPairs, pairKey, REVIEW_MARGIN } from './probabilistic.ts';

describe('classifyPairs', () => {
  const record = (id: string, traits: Record<string, unknown>): MatchRecord => matchRecordOf(id, traits, []);
  const records = new Map(
    [
      record('a', {
        name: 'Иван Петров',
        city: 'Москва',
        birthday: '1985-03-12',
        email: 'ivan.petrov@mail.ru',
      }),
      record('b', {
        name: 'Ivan Petrov',
        city: 'Moscow',
        birthday: '12.03.1985',
        email: 'ivan.petorv@mail.ru',
      }),
      record('c', { name: 'Анна Смирнова', city: 'Казань', email: 'anna.smirnova@mail.ru' }),
      record('d', { name: 'Анна Смирнова', city: 'Казань', email: 'anna.smirnva@mail.ru' }),
      record('e', { name: 'Иван Петров', city: 'Казань', birthday: '1990-07-01' }),
    ].map((r) => [r.id, r]),
  );
  const pairs: [string, string][] = [
    ['a', 'b'],
    ['c', 'd'],
    ['a', 'e'],
  ];

  it('merges at the threshold, sends the pairs just below to review and drops the rest', () => {
    const out = classifyPairs(records, pairs, defaultIdentitySettings, new Set());
    expect(out.merge.map((x) => [x.a, x.b, x.score])).toEqual([['a', 'b', 14.5]]);
    expect(out.review.map((x) => [x.a, x.b, x.score])).toEqual([['c', 'd', 8.5]]);
    expect(8.5).toBeGreaterThanOrEqual(defaultIdentitySettings.probabilistic.threshold - REVIEW_MARGIN);
  });

  it('only reviews when matching is switched off, and skips blocked pairs', () => {
    const off: IdentitySettings = {
      ...defaultIdentitySettings,
      probabilistic: { enabled: false, threshold: 9 },
    };
    const out = classifyPairs(records, pairs, off, new Set([pairKey('d', 'c')]));
    expect(out.merge).toEqual([]);
    expect(out.review.map((x) => [x.a, x.b])).toEqual([['a', 'b']]);
    expect(out.blocked).toBe(1);
  });
});
