import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { validateSpec } from './validate.ts';

function problems(kind: Parameters<typeof validateSpec>[0], spec: unknown, base = ''): string[] {
  try {
    validateSpec(kind, spec, base);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).details.map((d) => `${d.path} ${d.message}`);
  }
  return [];
}

const range = { from: '2026-01-01', to: '2026-02-01' };

describe('validateSpec', () => {
  it('resolves instants and the time zone', () => {
    const r = validateSpec('overview', { ...range, timezone: 'Europe/Moscow' });
    expect(r).toMatchObject({ from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 1, 1), tz: 'Europe/Moscow' });
    expect(validateSpec('overview', range).tz).toBe('UTC');
  });

  it('names every problem by its path, under a base path', () => {
    const found = problems(
      'funnel',
      {
        from: '2026-02-01',
        to: '2026-01-01',
        timezone: 'Nowhere/Land',
        filters: [
          { property: 'a', op: 'in', value: [] },
          { trait: 'b', op: 'contains', value: 3 },
        ],
        steps: [{ event: 'A', where: [{ property: 'x', op: 'lt' }] }, { event: 'B' }],
      },
      '/spec',
    );
    expect(found).toEqual([
      '/spec/to must be after from',
      '/spec/timezone must be an IANA time zone name',
      '/spec/filters/0/value in needs a list of 1 to 10000 strings, numbers or booleans',
      '/spec/filters/1/value contains needs a string of at most 10000 characters',
      '/spec/steps/0/where/0/value lt needs a number',
    ]);
  });

  it('checks the shape first: unknown fields, types and limits', () => {
    expect(problems('retention', { ...range, periods: 500 })[0]).toMatch(/^\/periods /);
    expect(problems('paths', { ...range, start: 'A', steps: 9 })[0]).toMatch(/^\/steps /);
    expect(problems('content', { ...range, contentProperty: 'a b' })[0]).toMatch(/^\/contentProperty /);
    expect(problems('overview', { ...range, extra: 1 })[0]).toMatch(/^\/extra /);
    expect(problems('overview', null)[0]).toMatch(/^\/ /);
  });

  it('accepts every operator with the value it needs', () => {
    const filters = [
      { property: 'a', op: 'eq', value: true },
      { property: 'a', op: 'neq', value: 'x' },
      { property: 'a.b', op: 'gte', value: 1.5 },
      { trait: 'c', op: 'not_in', value: ['x', 2, false] },
      { trait: 'c', op: 'not_exists' },
      { property: 'd', op: 'contains', value: 'Пётр' },
    ];
    expect(problems('overview', { ...range, filters })).toEqual([]);
  });

  it('limits series to a sane number of buckets', () => {
    expect(problems('overview', { from: '2000-01-01', to: '2026-01-01' })).toEqual([
      '/granularity the range has more than 3660 buckets',
    ]);
    expect(problems('overview', { from: '2000-01-01', to: '2026-01-01', granularity: 'month' })).toEqual([]);
  });
});
