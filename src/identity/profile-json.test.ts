import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listsIdentifier, redirectOf, withRedirectedFrom, withSegments } from './profile-json.ts';
import type { ProfileView } from './profiles.ts';

const T = '2026-01-01T00:00:00.000Z';
const view = (traits: Record<string, unknown>, identities: [string, string][] = []): ProfileView => ({
  id: 'prf_1',
  traits,
  traitSources: Object.fromEntries(Object.keys(traits).map((k) => [k, { source: 'web', time: T }])),
  identities: identities.map(([type, value]) => ({
    type,
    value,
    firstSeen: T,
    lastSeen: T,
    source: 'web',
    shared: false,
  })),
  devices: [{ id: 'dev-1', type: 'ios', firstSeen: T, lastSeen: T }],
  pushTokens: [],
  segments: [],
  mergedFrom: ['prf_0'],
  firstSeen: T,
  lastSeen: T,
  createdAt: T,
  updatedAt: T,
});

// Traits that imitate the keys the helpers look for.
const decoy = {
  segments: [],
  identities: [{ type: 'email', value: 'decoy@example.com', firstSeen: T }],
  devices: [],
  note: '"segments":[] ,"identities":[{"type":"email","value":"quoted@example.com",',
};

describe('profile view JSON', () => {
  it('adds segments to the view, not to traits that look like it', () => {
    const json = JSON.stringify(view(decoy));
    expect(JSON.parse(withSegments(json, ['7', '9'])!)).toEqual({ ...view(decoy), segments: ['7', '9'] });
    expect(withSegments(JSON.stringify({ ...view({}), segments: ['1'] }), ['2'])).toBeNull();
  });

  it('adds redirectedFrom last, as the response schema orders it', () => {
    const json = withRedirectedFrom(JSON.stringify(view({ a: 1 })), 'prf_old');
    expect(json).toBe(JSON.stringify({ ...view({ a: 1 }), redirectedFrom: 'prf_old' }));
  });

  it('finds identifiers among the identities only', () => {
    const json = JSON.stringify(view(decoy, [['email', 'ann@example.com']]));
    expect(listsIdentifier(json, 'email', 'ann@example.com')).toBe(true);
    expect(listsIdentifier(json, 'email', 'decoy@example.com')).toBe(false);
    expect(listsIdentifier(json, 'email', 'quoted@example.com')).toBe(false);
    expect(listsIdentifier(json, 'phone', 'ann@example.com')).toBe(false);
  });

  it('tells a redirect from a view', () => {
    expect(redirectOf(JSON.stringify({ redirect: 'prf_2' }))).toBe('prf_2');
    expect(redirectOf(JSON.stringify(view({ redirect: 'prf_2' })))).toBeNull();
  });

  it('agrees with decoding for any traits and identities', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 12 });
    fc.assert(
      fc.property(
        fc.dictionary(text, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }),
        fc.array(fc.tuple(fc.constantFrom('email', 'user_id', 'phone'), text), { maxLength: 4 }),
        fc.tuple(fc.constantFrom('email', 'user_id'), text),
        fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
        (traits, ids, probe, segments) => {
          const v = view(traits, ids);
          const json = JSON.stringify(v);
          // As decoding the stored JSON gives (-0 is stored as 0).
          expect(JSON.parse(withSegments(json, segments)!)).toEqual(
            JSON.parse(JSON.stringify({ ...v, segments })),
          );
          expect(listsIdentifier(json, ...probe)).toBe(
            ids.some(([type, value]) => type === probe[0] && value === probe[1]),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
