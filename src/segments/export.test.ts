import { describe, expect, it } from 'vitest';
import type { ValidationError } from '../core/errors.ts';
import { check, SegmentCreate } from './contract.ts';
import { DEFAULT_EXPORT_IDENTIFIERS, exportColumns } from './export.ts';

function pathOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    return (err as ValidationError).details.map((d) => d.path);
  }
  return [];
}

describe('export columns', () => {
  it('defaults to user_id, email, phone and no traits', () => {
    expect(exportColumns(undefined, undefined)).toEqual({
      identifiers: DEFAULT_EXPORT_IDENTIFIERS,
      traits: [],
    });
    expect(exportColumns('', 'name, address.city,name')).toEqual({
      identifiers: [],
      traits: ['name', 'address.city'],
    });
  });

  it('refuses names that are not identifier kinds or trait names', () => {
    expect(pathOf(() => exportColumns('email,Bad Kind', undefined))).toEqual(['/identifiers']);
    expect(pathOf(() => exportColumns(undefined, "name,x'); DROP"))).toEqual(['/traits']);
  });
});

describe('input checks shared by REST and GraphQL', () => {
  it('names the path of every problem', () => {
    expect(pathOf(() => check(SegmentCreate, { name: '', tags: ['a', 'a'], extra: 1 }))).toEqual([
      '/extra',
      '/name',
      '/tags',
    ]);
    expect(check(SegmentCreate, { name: 'ok', rule: { anything: true } })).toEqual({
      name: 'ok',
      rule: { anything: true },
    });
  });
});
