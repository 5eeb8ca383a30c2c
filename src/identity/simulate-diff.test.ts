import { describe, expect, it } from 'vitest';
import { compareAssignments } from './simulate-diff.ts';

describe('compareAssignments', () => {
  const ids = (p: string) => [`id:${p}`];

  it('finds nothing when the clusters are the same under other names', () => {
    const now = new Map([
      ['m1', 'P1'],
      ['m2', 'P1'],
      ['m3', 'P2'],
    ]);
    const next = new Map([
      ['m1', 'x'],
      ['m2', 'x'],
      ['m3', 'y'],
    ]);
    const d = compareAssignments(now, next, ids);
    expect(d).toMatchObject({
      currentProfiles: 2,
      proposedProfiles: 2,
      merges: { groups: 0, profiles: 0, examples: [] },
      splits: { profiles: 0, examples: [] },
    });
  });

  it('reports merges and splits with their events and identifiers, largest first', () => {
    const now = new Map([
      ['m1', 'P1'],
      ['m2', 'P2'],
      ['m3', 'P3'],
      ['m4', 'P4'],
      ['m5', 'P4'],
      ['m6', 'P4'],
      ['m7', 'P5'],
    ]);
    const next = new Map([
      ['m1', 'a'],
      ['m2', 'a'],
      ['m3', 'a'],
      ['m4', 'b'],
      ['m5', 'c'],
      ['m6', 'c'],
      ['m7', 'd'],
    ]);
    const d = compareAssignments(now, next, ids);
    expect(d.currentProfiles).toBe(5);
    expect(d.proposedProfiles).toBe(4);
    expect(d.merges).toEqual({
      groups: 1,
      profiles: 3,
      examples: [{ profileIds: ['P1', 'P2', 'P3'], events: 3, identifiers: ['id:a'] }],
    });
    expect(d.splits).toEqual({
      profiles: 1,
      examples: [
        {
          profileId: 'P4',
          parts: [
            { events: 2, identifiers: ['id:c'] },
            { events: 1, identifiers: ['id:b'] },
          ],
        },
      ],
    });
  });

  it('caps the examples and ignores events the proposal does not cover', () => {
    const now = new Map<string, string>();
    const next = new Map<string, string>();
    for (let i = 0; i < 30; i++) {
      now.set(`m${i}`, `P${i}`);
      next.set(`m${i}`, `Q${Math.floor(i / 2)}`);
    }
    now.set('extra', 'P99');
    const d = compareAssignments(now, next, ids, 10);
    expect(d.merges.groups).toBe(15);
    expect(d.merges.profiles).toBe(30);
    expect(d.merges.examples).toHaveLength(10);
    expect(d.currentProfiles).toBe(30);
  });
});
