import { describe, expect, it } from 'vitest';
import { countBy } from './overview-stats.ts';
import { profileLabel } from './profile-label.ts';

describe('countBy', () => {
  it('counts by key, most frequent first, ties in key order', () => {
    const items = ['track', 'page', 'track', 'identify', 'page', 'track'];
    expect(countBy(items, (x) => x)).toEqual([
      ['track', 3],
      ['page', 2],
      ['identify', 1],
    ]);
    expect(countBy(['b', 'a'], (x) => x)).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
    expect(countBy([], (x: string) => x)).toEqual([]);
  });
});

describe('profileLabel', () => {
  const identities = [
    { type: 'user_id', value: 'u-1', firstSeen: '', lastSeen: '', source: '', shared: false },
    { type: 'email', value: 'ann@example.com', firstSeen: '', lastSeen: '', source: '', shared: false },
  ];
  it('prefers the name, then first and last name, then identifiers, then the id', () => {
    expect(profileLabel({ id: 'p1', traits: { name: ' Ann ' }, identities })).toBe('Ann');
    expect(profileLabel({ id: 'p1', traits: { first_name: 'Ann', lastName: 'Lee' }, identities })).toBe(
      'Ann Lee',
    );
    expect(profileLabel({ id: 'p1', traits: { name: 42 }, identities })).toBe('ann@example.com');
    expect(profileLabel({ id: 'p1', traits: {}, identities: identities.slice(0, 1) })).toBe('u-1');
    expect(profileLabel({ id: 'p1', traits: {}, identities: [] })).toBe('p1');
  });
});
