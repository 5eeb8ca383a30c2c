import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Identifier } from './kinds.ts';
import { holdsEvery, type ProfileIdentifier, type ProfileView, planResolution } from './plan.ts';
import { defaultIdentitySettings, type IdentitySettings } from './settings.ts';

const identifier: fc.Arbitrary<Identifier> = fc.record({
  kind: fc.constantFrom('user_id', 'anonymous_id', 'email', 'phone', 'device_id', 'crm_id'),
  value: fc.constantFrom('a', 'b', 'c'),
});

const withRule = (kind: string, rule: { identifies?: boolean; maxValues?: number }): IdentitySettings => ({
  ...defaultIdentitySettings,
  identifiers: defaultIdentitySettings.identifiers.map((r) => (r.kind === kind ? { ...r, ...rule } : r)),
});

const settingsList: [string, IdentitySettings][] = [
  ['default settings', defaultIdentitySettings],
  ['email does not identify', withRule('email', { identifies: false })],
  ['one anonymous id per profile', withRule('anonymous_id', { maxValues: 1 })],
];

describe.each(settingsList)('holdsEvery under %s', (_name, settings) => {
  it('means planResolution attaches the event to that profile and changes nothing', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(identifier, { minLength: 1, maxLength: 8, selector: (i) => `${i.kind}:${i.value}` }),
        fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
        fc.nat(),
        (held, shared, pick) => {
          const identifiers: ProfileIdentifier[] = held.map((id, i) =>
            shared[i] ? { ...id, shared: true } : id,
          );
          const profile: ProfileView = { id: 'prf_1', createdAt: 1, identifiers };
          // The event carries a non-empty subset of the profile's identifiers, in any order.
          const event = held.filter((_, i) => (pick >> i) & 1 || i === pick % held.length).reverse();
          if (!holdsEvery(profile, event, settings)) return;
          expect(planResolution(event, [profile], settings)).toEqual({
            action: 'attach',
            profileId: 'prf_1',
            via: 'identifier',
            add: [],
            markShared: [],
            refused: [],
            blocked: [],
          });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('is false when an identifier is missing or shared', () => {
    const profile: ProfileView = {
      id: 'prf_1',
      createdAt: 1,
      identifiers: [
        { kind: 'anonymous_id', value: 'a' },
        { kind: 'device_id', value: 'd', shared: true },
      ],
    };
    expect(holdsEvery(profile, [{ kind: 'anonymous_id', value: 'a' }], settings)).toBe(true);
    expect(holdsEvery(profile, [{ kind: 'anonymous_id', value: 'b' }], settings)).toBe(false);
    expect(holdsEvery(profile, [{ kind: 'device_id', value: 'd' }], settings)).toBe(false);
  });
});
