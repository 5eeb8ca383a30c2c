import { describe, expect, it } from 'vitest';
import type { IdentitySettings } from '../../api/identity.ts';
import {
  addKind,
  fieldErrors,
  fieldOf,
  formFromSettings,
  isChanged,
  move,
  removeKind,
  reviewFloor,
  settingsFromForm,
  updateRule,
} from './settings-form.ts';

const SETTINGS: IdentitySettings = {
  identifiers: [
    { kind: 'user_id', identifies: true, maxValues: 1, shareable: false },
    { kind: 'email', identifies: true, maxValues: 5, shareable: false },
    { kind: 'anonymous_id', identifies: true, maxValues: 100, shareable: true },
  ],
  externalIds: { identifies: true, maxValues: 5, shareable: false },
  defaultCountry: 'RU',
  traitConflict: { rule: 'source_priority', sourceOrder: ['src_crm', 'src_web'] },
  setOnceTraits: ['first_touch'],
  probabilistic: { enabled: true, threshold: 9 },
};

describe('identity settings form', () => {
  it('round-trips the API settings unchanged', () => {
    expect(settingsFromForm(formFromSettings(SETTINGS))).toEqual(SETTINGS);
    const latest = { ...SETTINGS, traitConflict: { rule: 'latest' as const } };
    expect(settingsFromForm(formFromSettings(latest))).toEqual(latest);
  });

  it('does not share arrays with the settings it came from', () => {
    const f = formFromSettings(SETTINGS);
    f.identifiers[0].maxValues = 7;
    f.sourceOrder.push('x');
    expect(SETTINGS.identifiers[0].maxValues).toBe(1);
    expect(SETTINGS.traitConflict).toEqual({ rule: 'source_priority', sourceOrder: ['src_crm', 'src_web'] });
  });

  it('sends the source order only with the source-priority rule, and keeps it for switching back', () => {
    const f = { ...formFromSettings(SETTINGS), conflictRule: 'latest' as const };
    expect(settingsFromForm(f).traitConflict).toEqual({ rule: 'latest' });
    expect(settingsFromForm({ ...f, conflictRule: 'source_priority' }).traitConflict).toEqual({
      rule: 'source_priority',
      sourceOrder: ['src_crm', 'src_web'],
    });
  });

  it('turns typed numbers into numbers and leaves non-numbers for the API to reject', () => {
    let f = updateRule(formFromSettings(SETTINGS), 1, { maxValues: ' 12 ' });
    f = { ...f, threshold: '7.5', defaultCountry: ' kz ' };
    const s = settingsFromForm(f);
    expect(s.identifiers[1].maxValues).toBe(12);
    expect(s.probabilistic.threshold).toBe(7.5);
    expect(s.defaultCountry).toBe('KZ');
    expect(settingsFromForm(updateRule(f, 1, { maxValues: '' })).identifiers[1].maxValues).toBe('');
    expect(settingsFromForm({ ...f, threshold: 'abc' }).probabilistic.threshold).toBe('abc');
  });

  it('tells a changed form from the saved settings', () => {
    const f = formFromSettings(SETTINGS);
    expect(isChanged(f, SETTINGS)).toBe(false);
    expect(isChanged(updateRule(f, 1, { maxValues: 6 }), SETTINGS)).toBe(true);
    expect(isChanged(updateRule(f, 1, { maxValues: '5' }), SETTINGS)).toBe(false);
    expect(isChanged({ ...f, identifiers: move(f.identifiers, 2, 1) }, SETTINGS)).toBe(true);
  });

  it('reorders priorities', () => {
    expect(move(['a', 'b', 'c'], 2, 0)).toEqual(['c', 'a', 'b']);
    expect(move(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(move(['a', 'b', 'c'], 1, 9)).toEqual(['a', 'c', 'b']);
    expect(move(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(move(['a', 'b', 'c'], 5, 0)).toEqual(['a', 'b', 'c']);
    const list = ['a', 'b'];
    move(list, 0, 1);
    expect(list).toEqual(['a', 'b']);
  });

  it('adds external id kinds with the external-id rule and never removes user_id', () => {
    const f = formFromSettings(SETTINGS);
    const added = addKind(f, ' crm_id ');
    expect(added.identifiers.at(-1)).toEqual({
      kind: 'crm_id',
      identifies: true,
      maxValues: 5,
      shareable: false,
    });
    expect(addKind(added, 'crm_id')).toBe(added);
    expect(addKind(f, 'CRM id')).toBe(f);
    expect(removeKind(f, 0)).toBe(f);
    expect(removeKind(f, 1).identifiers.map((r) => r.kind)).toEqual(['user_id', 'anonymous_id']);
  });

  it('computes where review starts below the threshold', () => {
    const f = formFromSettings(SETTINGS);
    expect(reviewFloor(f)).toBe(6);
    expect(reviewFloor({ ...f, threshold: 2 })).toBe(0);
    expect(reviewFloor({ ...f, threshold: 'x' })).toBeNull();
  });

  it('places API validation errors at the form fields', () => {
    expect(fieldOf('/settings/identifiers/1/maxValues', '/settings')).toBe('/identifiers/1/maxValues');
    expect(fieldOf('/traitConflict/sourceOrder/2')).toBe('/traitConflict/sourceOrder');
    expect(fieldOf('/traitConflict')).toBe('/traitConflict/rule');
    expect(fieldOf('/setOnceTraits/0')).toBe('/setOnceTraits');
    expect(fieldOf('/probabilistic')).toBe('/probabilistic/threshold');
    expect(fieldOf('/defaultCountry')).toBe('/defaultCountry');
    expect(
      fieldErrors(
        [
          { path: '/settings/identifiers/0/maxValues', message: 'a profile holds exactly one user_id' },
          { path: '/settings/setOnceTraits/1', message: 'duplicate "a"' },
          { path: '/settings/setOnceTraits/2', message: 'must be a non-empty string' },
        ],
        '/settings',
      ),
    ).toEqual({
      '/identifiers/0/maxValues': 'a profile holds exactly one user_id',
      '/setOnceTraits': 'duplicate "a"; must be a non-empty string',
    });
  });
});
