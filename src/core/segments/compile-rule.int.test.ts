import { expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { compileRule, countSql, type RuleContext, sampleSql } from './compile-rule.ts';
import type { Rule } from './rule-schema.ts';
import { NOW, UNIVERSE } from './testing/dataset.ts';
import { BUYERS, type Case, CTX as ctx, describeMembers, minus } from './testing/int-suite.ts';

const traitCases: Case[] = [
  ['eq string (Unicode)', { trait: 'city', op: 'eq', value: 'Москва' }, ['p01']],
  [
    'neq: present, non-null only',
    { trait: 'city', op: 'neq', value: 'Москва' },
    ['p02', 'p03', 'p06', 'p08', 'p09', 'p10', 'p11'],
  ],
  ['eq number is type-strict', { trait: 'age', op: 'eq', value: 34 }, ['p01']],
  ['eq string is type-strict', { trait: 'age', op: 'eq', value: '34' }, ['p02']],
  ['eq true', { trait: 'vip', op: 'eq', value: true }, ['p01', 'p11']],
  ['eq false', { trait: 'vip', op: 'eq', value: false }, ['p02']],
  ['gt', { trait: 'age', op: 'gt', value: 30 }, ['p01', 'p05', 'p06', 'p12']],
  ['gte', { trait: 'age', op: 'gte', value: 40 }, ['p05', 'p06', 'p12']],
  ['lt', { trait: 'age', op: 'lt', value: 18 }, ['p03', 'p09']],
  ['lte', { trait: 'age', op: 'lte', value: 21 }, ['p03', 'p08', 'p09']],
  [
    'between numbers (inclusive)',
    { trait: 'age', op: 'between', value: [20, 40] },
    ['p01', 'p06', 'p08', 'p11'],
  ],
  ['in (mixed types, strict)', { trait: 'age', op: 'in', value: [34, '40', 17] }, ['p01', 'p03']],
  [
    'not_in',
    { trait: 'age', op: 'not_in', value: [34, 17] },
    ['p02', 'p05', 'p06', 'p08', 'p09', 'p11', 'p12'],
  ],
  ['in with case-strict strings', { trait: 'plan', op: 'in', value: ['pro', 'PRO'] }, ['p01', 'p05', 'p06']],
  ['contains ignores case in Unicode', { trait: 'city', op: 'contains', value: 'ПЕТЕР' }, ['p02', 'p09']],
  [
    'not_contains',
    { trait: 'city', op: 'not_contains', value: 'петер' },
    ['p01', 'p03', 'p06', 'p08', 'p10', 'p11'],
  ],
  ['starts_with', { trait: 'city', op: 'starts_with', value: 'мос' }, ['p01']],
  ['ends_with', { trait: 'city', op: 'ends_with', value: 'БУРГ' }, ['p02']],
  ['ends_with ẞ', { trait: 'city', op: 'ends_with', value: 'ẞE' }, ['p11']],
  [
    'exists: not null, not ""',
    { trait: 'city', op: 'exists' },
    ['p01', 'p02', 'p06', 'p08', 'p09', 'p10', 'p11'],
  ],
  [
    'not_exists: missing, null or ""',
    { trait: 'city', op: 'not_exists' },
    ['p03', 'p04', 'p05', 'p12', 'p13'],
  ],
  ['exists: not []', { trait: 'tags', op: 'exists' }, ['p01']],
  ['exists: not {}', { trait: 'address', op: 'exists' }, ['p01', 'p02', 'p11']],
  [
    'not_exists of null',
    { trait: 'plan', op: 'not_exists' },
    ['p03', 'p04', 'p08', 'p09', 'p11', 'p12', 'p13'],
  ],
  ['neq excludes null', { trait: 'plan', op: 'neq', value: 'pro' }, ['p02', 'p05', 'p10']],
  ['empty string does not exist', { trait: 'nickname', op: 'exists' }, []],
  ['nested trait', { trait: 'address.city', op: 'eq', value: 'Berlin' }, ['p11']],
  ['deeply nested trait', { trait: 'nested.a.b.c', op: 'eq', value: 'deep' }, ['p11']],
  ['nested number', { trait: 'address.geo.lat', op: 'gt', value: 50 }, ['p01']],
  ['float eq', { trait: 'score', op: 'gte', value: 4.5 }, ['p01']],
  ['unknown trait', { trait: 'doesNotExist', op: 'eq', value: 'x' }, []],
  ['unknown $ trait', { trait: '$custom', op: 'not_exists' }, UNIVERSE],
  ['date before ISO', { trait: 'signup', op: 'before', value: '2025-05-15' }, ['p02', 'p05']],
  ['date after relative', { trait: 'signup', op: 'after', value: { days: 30 } }, ['p01']],
  ['within_last 15 days', { trait: 'signup', op: 'within_last', value: { days: 15 } }, ['p01']],
  [
    'within_last 14 days (rolling, to the hour)',
    { trait: 'signup', op: 'within_last', value: { days: 14 } },
    [],
  ],
  [
    'between dates (offsets, inclusive)',
    { trait: 'signup', op: 'between', value: ['2025-01-01', '2025-05-01'] },
    ['p02', 'p05'],
  ],
];

const builtinCases: Case[] = [
  ['$firstSeen before', { trait: '$firstSeen', op: 'before', value: { days: 365 } }, ['p01', 'p05']],
  ['$lastSeen within_last', { trait: '$lastSeen', op: 'within_last', value: { days: 3 } }, ['p01', 'p03']],
  ['$lastSeen after hours', { trait: '$lastSeen', op: 'after', value: { hours: 36 } }, ['p01']],
  [
    '$firstSeen between',
    { trait: '$firstSeen', op: 'between', value: ['2024-01-01', '2025-06-10'] },
    minus('p05'),
  ],
  ['$eventCount eq 0', { trait: '$eventCount', op: 'eq', value: 0 }, ['p04']],
  [
    '$eventCount gte 3',
    { trait: '$eventCount', op: 'gte', value: 3 },
    ['p01', 'p02', 'p03', 'p08', 'p09', 'p10'],
  ],
  [
    '$eventCount between',
    { trait: '$eventCount', op: 'between', value: [1, 2] },
    ['p05', 'p06', 'p11', 'p12', 'p13'],
  ],
  [
    '$identifiers contains',
    { trait: '$identifiers', op: 'contains', value: 'email' },
    ['p01', 'p02', 'p03', 'p06', 'p10'],
  ],
  [
    '$identifiers not_contains',
    { trait: '$identifiers', op: 'not_contains', value: 'email' },
    minus('p01', 'p02', 'p03', 'p06', 'p10'),
  ],
  [
    '$identifiers in',
    { trait: '$identifiers', op: 'in', value: ['phone', 'push_token'] },
    ['p01', 'p05', 'p08', 'p09', 'p10', 'p11'],
  ],
  [
    '$identifiers not_in',
    { trait: '$identifiers', op: 'not_in', value: ['phone', 'push_token'] },
    ['p02', 'p03', 'p04', 'p06', 'p12', 'p13'],
  ],
  ['$identifiers exists', { trait: '$identifiers', op: 'exists' }, minus('p04', 'p12', 'p13')],
  ['$identifiers not_exists', { trait: '$identifiers', op: 'not_exists' }, ['p04', 'p12', 'p13']],
];

const otherCases: Case[] = [
  ['segment reference', { segment: 'seg_moscow' }, ['p01']],
  ['nested segment references', { segment: 'seg_nested' }, ['p02', 'p03', 'p05', 'p06', 'p09', 'p10', 'p12']],
  [
    'reachable email: valid address, consent, not unsubscribed',
    { reachable: 'email' },
    ['p01', 'p06', 'p10'],
  ],
  ['reachable sms: E.164 phone, consent', { reachable: 'sms' }, ['p01', 'p08']],
  ['reachable push: non-empty token, consent', { reachable: 'push' }, ['p10']],
  ['reachable telegram: identifier or telegram_id, consent', { reachable: 'telegram' }, ['p05', 'p06']],
  [
    'and',
    { and: [{ trait: 'city', op: 'exists' }, { event: 'Order Completed' }] },
    ['p01', 'p02', 'p06', 'p09', 'p10'],
  ],
  ['or', { or: [{ trait: 'age', op: 'gt', value: 60 }, { reachable: 'sms' }] }, ['p01', 'p05', 'p08']],
  [
    'not is the complement (missing traits included)',
    { not: { trait: 'city', op: 'eq', value: 'Москва' } },
    minus('p01'),
  ],
  ['not of did', { not: { event: 'Order Completed' } }, ['p04', 'p08', 'p11', 'p13']],
  ['not not', { not: { not: { trait: 'vip', op: 'eq', value: true } } }, ['p01', 'p11']],
];

describeMembers('profile conditions on chDB', { traitCases, builtinCases, otherCases }, (database) => {
  it('countSql counts the members', async () => {
    const [row] = await database().rows<{ count: string | number }>(
      countSql({ event: 'Order Completed' }, ctx),
    );
    expect(Number(row.count)).toBe(BUYERS.length);
  });

  it('sampleSql returns up to limit members ordered by id, with traits', async () => {
    const rows = await database().rows<{ profile_id: string; traits: string }>(
      sampleSql({ event: 'Order Completed' }, ctx, 3),
    );
    expect(rows.map((r) => r.profile_id)).toEqual(['p01', 'p02', 'p03']);
    expect(JSON.parse(rows[0].traits).name).toBe('Anna');
  });

  it('other workspaces are invisible', async () => {
    const other: RuleContext = { workspaceId: 'ws_b', now: NOW };
    expect(
      await database().members(compileRule({ trait: 'city', op: 'eq', value: 'Москва' }, other)),
    ).toEqual(['p01']);
    const sum: Rule = {
      event: 'Order Completed',
      aggregate: { fn: 'sum', property: 'revenue' },
      op: 'eq',
      value: 5000,
    };
    expect(await database().members(compileRule(sum, other))).toEqual(['p01']);
    expect(await database().members(compileRule(sum, ctx))).toEqual([]);
  });

  it('a segment cycle is a ValidationError at the reference', () => {
    const rule: Rule = { or: [{ trait: 'age', op: 'gt', value: 1 }, { segment: 'seg_a' }] };
    expect(() => compileRule(rule, ctx)).toThrow(ValidationError);
    try {
      compileRule(rule, ctx);
    } catch (e) {
      expect((e as ValidationError).details[0].path).toBe('/rule/or/1/segment');
      expect((e as ValidationError).details[0].message).toContain('seg_a → seg_b → seg_a');
    }
  });
});
