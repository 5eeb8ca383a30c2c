import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultIdentitySettings, type IdentitySettings } from './settings.ts';
import { mergeProfilesTraits, mergeTraits, type TraitState, type TraitUpdate } from './traits.ts';

const key = fc.constantFrom('name', 'city', 'plan', 'first_page');
const traitValue = fc.oneof(fc.string({ maxLength: 4 }), fc.integer({ min: 0, max: 3 }), fc.constant(null));
const update: fc.Arbitrary<TraitUpdate> = fc.record({
  traits: fc.dictionary(key, traitValue, { maxKeys: 3 }),
  setOnce: fc.dictionary(key, traitValue, { maxKeys: 2 }),
  source: fc.constantFrom('web', 'crm', 'app'),
  // A few distinct times so that ties happen.
  time: fc.integer({ min: 0, max: 4 }).map((d) => Date.UTC(2024, 0, 1 + d)),
});

const settingsList: [string, IdentitySettings][] = [
  ['latest', defaultIdentitySettings],
  [
    'source priority',
    { ...defaultIdentitySettings, traitConflict: { rule: 'source_priority', sourceOrder: ['crm', 'web'] } },
  ],
  ['set-once names', { ...defaultIdentitySettings, setOnceTraits: ['first_page'] }],
];

const fold = (updates: TraitUpdate[], settings: IdentitySettings): TraitState =>
  updates.reduce<TraitState>((state, u) => mergeTraits(state, u, settings), {});

describe.each(settingsList)('traits under %s', (_name, settings) => {
  it('do not depend on the order updates arrive in', () => {
    fc.assert(
      fc.property(
        fc
          .array(update, { maxLength: 8 })
          .chain((us) => fc.tuple(fc.constant(us), fc.shuffledSubarray(us, { minLength: us.length }))),
        ([updates, shuffled]) => {
          expect(fold(shuffled, settings)).toEqual(fold(updates, settings));
        },
      ),
    );
  });

  it('merging two profiles equals one profile that saw every update', () => {
    fc.assert(
      fc.property(fc.array(update, { maxLength: 6 }), fc.array(update, { maxLength: 6 }), (a, b) => {
        const merged = mergeProfilesTraits(fold(a, settings), fold(b, settings), settings);
        expect(merged).toEqual(fold([...a, ...b], settings));
      }),
    );
  });

  it('applying the same update twice changes nothing', () => {
    fc.assert(
      fc.property(fc.array(update, { maxLength: 5 }), update, (before, u) => {
        const once = mergeTraits(fold(before, settings), u, settings);
        expect(mergeTraits(once, u, settings)).toEqual(once);
      }),
    );
  });
});
