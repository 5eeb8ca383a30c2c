import { describe, expect, it } from 'vitest';
import { compile } from '../sql.ts';
import { countSql, membersQuery, sampleSql } from './compile-rule.ts';
import type { Rule } from './rule-schema.ts';
import { CTX } from './testing/unit.ts';

const OFF = 'optimize_use_projections = 0';
const anyEvent: Rule = { event: null, count: { op: 'gte', value: 5 }, within: { days: 30 } };
const sequence: Rule = { sequence: [{ event: 'Viewed' }, { event: 'Bought' }], within: { days: 7 } };

describe('query settings of a compiled rule', () => {
  it.each<[string, Rule]>([
    ['any event', anyEvent],
    ['a sequence (its steps are read together)', sequence],
    ['$eventCount', { trait: '$eventCount', op: 'gte', value: 3 }],
    [
      'deep inside a group',
      { and: [{ trait: 'plan', op: 'eq', value: 'pro' }, { not: { or: [anyEvent] } }] },
    ],
    ['in a referenced segment', { segment: 'seg_any' }],
  ])('turn projections off when a condition reads events of any name: %s', (_, rule) => {
    const ctx = { ...CTX, resolveSegment: (id: string) => (id === 'seg_any' ? anyEvent : undefined) };
    expect(membersQuery(rule, ctx).settings).toEqual([OFF]);
    expect(compile(countSql(rule, ctx)).query).toMatch(/\) SETTINGS optimize_use_projections = 0$/);
    expect(compile(sampleSql(rule, ctx, 5)).query).toMatch(
      /LIMIT \{p\d+:UInt32\} SETTINGS optimize_use_projections = 0$/,
    );
  });

  it.each<[string, Rule]>([
    ['traits only', { trait: 'plan', op: 'eq', value: 'pro' }],
    ['a named event', { event: 'Bought', within: { days: 30 } }],
    [
      'an aggregate of a named event',
      { event: 'Bought', aggregate: { fn: 'sum', property: 'revenue' }, op: 'gt', value: 1 },
    ],
    ['RFM', { rfm: 'champions' }],
  ])('keep them for rules of named events only: %s', (_, rule) => {
    expect(membersQuery(rule, CTX).settings).toEqual([]);
    expect(compile(countSql(rule, CTX)).query).not.toContain('SETTINGS');
  });
});
