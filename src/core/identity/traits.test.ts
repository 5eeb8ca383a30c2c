import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { defaultIdentitySettings, type IdentitySettings } from './settings.ts';
import { canonicalJson, mergeProfilesTraits, mergeTraits, type TraitState, traitValues } from './traits.ts';

const latest = defaultIdentitySettings;
const crmFirst: IdentitySettings = {
  ...latest,
  traitConflict: { rule: 'source_priority', sourceOrder: ['crm', 'import'] },
};
const T1 = '2024-01-01T10:00:00.000Z';
const T2 = '2024-01-02T10:00:00.000Z';
const T3 = '2024-01-03T10:00:00.000Z';

describe('mergeTraits', () => {
  it('keeps each value with its source and time', () => {
    const state = mergeTraits({}, { traits: { name: 'Иван', plan: 'pro' }, source: 'web', time: T1 });
    expect(state).toEqual({
      name: { value: 'Иван', source: 'web', time: T1 },
      plan: { value: 'pro', source: 'web', time: T1 },
    });
  });

  it('latest event time wins; a late-arriving older event never overwrites', () => {
    let state = mergeTraits({}, { traits: { city: 'Москва' }, source: 'web', time: T2 });
    state = mergeTraits(state, { traits: { city: 'Казань' }, source: 'web', time: T1 });
    expect(state.city.value).toBe('Москва');
    state = mergeTraits(state, { traits: { city: 'Самара' }, source: 'web', time: T3 });
    expect(state.city).toEqual({ value: 'Самара', source: 'web', time: T3 });
  });

  it('source priority: CRM beats a newer web form; unlisted sources rank last', () => {
    let state = mergeTraits({}, { traits: { phone: '+79161234567' }, source: 'crm', time: T1 }, crmFirst);
    state = mergeTraits(state, { traits: { phone: '+79990000000' }, source: 'web', time: T3 }, crmFirst);
    expect(state.phone.source).toBe('crm');
    state = mergeTraits(state, { traits: { phone: '+79031112233' }, source: 'crm', time: T2 }, crmFirst);
    expect(state.phone).toEqual({ value: '+79031112233', source: 'crm', time: T2 });
    state = mergeTraits(state, { traits: { phone: '+79035556677' }, source: 'import', time: T3 }, crmFirst);
    expect(state.phone.value).toBe('+79031112233');
  });

  it('set-once keeps the earliest value, even when it arrives last', () => {
    let state = mergeTraits({}, { setOnce: { first_seen_page: '/b' }, source: 'web', time: T2 });
    state = mergeTraits(state, { setOnce: { first_seen_page: '/c' }, source: 'web', time: T3 });
    expect(state.first_seen_page.value).toBe('/b');
    state = mergeTraits(state, { setOnce: { first_seen_page: '/a' }, source: 'web', time: T1 });
    expect(state.first_seen_page).toEqual({ value: '/a', source: 'web', time: T1, once: true });
  });

  it('a regular write beats a set-once write, in either order', () => {
    const a = mergeTraits(mergeTraits({}, { setOnce: { plan: 'trial' }, source: 'web', time: T3 }), {
      traits: { plan: 'pro' },
      source: 'web',
      time: T2,
    });
    const b = mergeTraits(mergeTraits({}, { traits: { plan: 'pro' }, source: 'web', time: T2 }), {
      setOnce: { plan: 'trial' },
      source: 'web',
      time: T3,
    });
    expect(a.plan.value).toBe('pro');
    expect(b).toEqual(a);
  });

  it('treats the workspace set-once trait names as set-once', () => {
    const settings = { ...latest, setOnceTraits: ['initial_referrer'] };
    let state = mergeTraits({}, { traits: { initial_referrer: 'ya.ru' }, source: 'web', time: T1 }, settings);
    state = mergeTraits(
      state,
      { traits: { initial_referrer: 'google.com' }, source: 'web', time: T2 },
      settings,
    );
    expect(state.initial_referrer).toEqual({ value: 'ya.ru', source: 'web', time: T1, once: true });
  });

  it('replaces nested objects whole and keeps null as a value', () => {
    let state = mergeTraits(
      {},
      { traits: { address: { city: 'Москва', street: 'Тверская' } }, source: 'web', time: T1 },
    );
    state = mergeTraits(state, {
      traits: { address: { city: 'Казань' }, nickname: null },
      source: 'web',
      time: T2,
    });
    expect(traitValues(state)).toEqual({ address: { city: 'Казань' }, nickname: null });
  });

  it('ignores undefined values and does not mutate its input', () => {
    const before: TraitState = { a: { value: 1, source: 'web', time: T1 } };
    const after = mergeTraits(before, { traits: { a: undefined, b: 2 }, source: 'web', time: T2 });
    expect(before).toEqual({ a: { value: 1, source: 'web', time: T1 } });
    expect(traitValues(after)).toEqual({ a: 1, b: 2 });
  });

  it('breaks equal-time ties the same way whatever the order', () => {
    const x = { traits: { color: 'red' }, source: 'web', time: T1 };
    const y = { traits: { color: 'blue' }, source: 'web', time: T1 };
    expect(mergeTraits(mergeTraits({}, x), y)).toEqual(mergeTraits(mergeTraits({}, y), x));
  });

  it('stores a __proto__ key as data', () => {
    const traits = JSON.parse('{"__proto__": {"polluted": true}}');
    const state = mergeTraits({}, { traits, source: 'web', time: T1 });
    expect(Object.hasOwn(state, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('accepts Date and epoch times and rejects bad input with a path', () => {
    const state = mergeTraits({}, { traits: { a: 1 }, source: 'web', time: Date.parse(T2) });
    expect(state.a.time).toBe(T2);
    expect(mergeTraits({}, { traits: { a: 1 }, source: 'web', time: new Date(T1) }).a.time).toBe(T1);
    expect(() => mergeTraits({}, { traits: { a: 1 }, source: 'web', time: 'yesterday' })).toThrow(
      ValidationError,
    );
    expect(() => mergeTraits({}, { traits: {}, source: '', time: T1 })).toThrow(
      expect.objectContaining({ details: [{ path: '/source', message: 'must be a non-empty string' }] }),
    );
    expect(() => mergeTraits({}, { traits: {}, source: 'web', time: Number.NaN })).toThrow(
      expect.objectContaining({ details: [{ path: '/time', message: 'must be a valid timestamp' }] }),
    );
  });
});

describe('mergeProfilesTraits', () => {
  it('keeps, per key, the value the conflict rule prefers', () => {
    const survivor: TraitState = {
      name: { value: 'Иван', source: 'web', time: T1 },
      city: { value: 'Москва', source: 'web', time: T3 },
      first_page: { value: '/b', source: 'web', time: T2, once: true },
    };
    const merged: TraitState = {
      name: { value: 'Иван Петров', source: 'crm', time: T2 },
      city: { value: 'Казань', source: 'crm', time: T1 },
      first_page: { value: '/a', source: 'web', time: T1, once: true },
      vip: { value: true, source: 'crm', time: T1 },
    };
    expect(traitValues(mergeProfilesTraits(survivor, merged))).toEqual({
      name: 'Иван Петров',
      city: 'Москва',
      first_page: '/a',
      vip: true,
    });
    expect(traitValues(mergeProfilesTraits(survivor, merged, crmFirst)).city).toBe('Казань');
    expect(mergeProfilesTraits(merged, survivor)).toEqual(mergeProfilesTraits(survivor, merged));
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}',
    );
  });
});
