import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { defaultIdentitySettings, ruleFor, validateIdentitySettings } from './settings.ts';

function details(input: unknown): { path: string; message: string }[] {
  try {
    validateIdentitySettings(input);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).details;
  }
  throw new Error('expected a ValidationError');
}

describe('defaultIdentitySettings', () => {
  it('ranks user_id first and allows 1 user_id, 5 emails, 100 anonymous ids', () => {
    expect(ruleFor('user_id', defaultIdentitySettings)).toMatchObject({
      rank: 0,
      maxValues: 1,
      shareable: false,
    });
    expect(ruleFor('email', defaultIdentitySettings)).toMatchObject({ maxValues: 5 });
    expect(ruleFor('anonymous_id', defaultIdentitySettings)).toMatchObject({
      maxValues: 100,
      shareable: true,
    });
    expect(defaultIdentitySettings.defaultCountry).toBe('RU');
    expect(defaultIdentitySettings.traitConflict).toEqual({ rule: 'latest' });
  });

  it('ranks unlisted external ids after every listed kind', () => {
    const rule = ruleFor('crm_id', defaultIdentitySettings);
    expect(rule).toMatchObject({ kind: 'crm_id', identifies: true, maxValues: 5 });
    expect(rule.rank).toBe(defaultIdentitySettings.identifiers.length);
  });
});

describe('validateIdentitySettings', () => {
  it('fills missing fields with defaults', () => {
    expect(validateIdentitySettings(undefined)).toEqual(defaultIdentitySettings);
    expect(validateIdentitySettings({ defaultCountry: 'KZ' })).toEqual({
      ...defaultIdentitySettings,
      defaultCountry: 'KZ',
    });
  });

  it('accepts a custom priority list with per-field defaults', () => {
    const s = validateIdentitySettings({
      identifiers: [
        { kind: 'user_id' },
        { kind: 'crm_id', maxValues: 1 },
        { kind: 'email', maxValues: 3 },
        { kind: 'push_token', identifies: false },
      ],
      traitConflict: { rule: 'source_priority', sourceOrder: ['crm', 'web'] },
      setOnceTraits: ['initial_referrer'],
      probabilistic: { enabled: false },
    });
    expect(s.identifiers).toEqual([
      { kind: 'user_id', identifies: true, maxValues: 1, shareable: false },
      { kind: 'crm_id', identifies: true, maxValues: 1, shareable: false },
      { kind: 'email', identifies: true, maxValues: 3, shareable: false },
      { kind: 'push_token', identifies: false, maxValues: 20, shareable: true },
    ]);
    expect(s.traitConflict).toEqual({ rule: 'source_priority', sourceOrder: ['crm', 'web'] });
    expect(s.probabilistic).toEqual({ enabled: false, threshold: 9 });
    expect(ruleFor('anonymous_id', s).rank).toBe(4);
  });

  it('reports every problem with its JSON path', () => {
    expect(
      details({
        identifiers: [
          { kind: 'user_id', maxValues: 2 },
          { kind: 'Email' },
          { kind: 'phone', maxValues: 0 },
          { kind: 'phone' },
        ],
        defaultCountry: 'ru',
        traitConflict: { rule: 'source_priority', sourceOrder: [] },
        setOnceTraits: ['a', 'a', 3],
        probabilistic: { threshold: -1, enabled: 'yes' },
        colour: 'blue',
      }),
    ).toEqual(
      expect.arrayContaining([
        { path: '/colour', message: 'unknown setting' },
        { path: '/identifiers/0/maxValues', message: 'a profile holds exactly one user_id' },
        { path: '/identifiers/1/kind', message: expect.stringContaining('lower-case') },
        { path: '/identifiers/2/maxValues', message: expect.stringContaining('integer from 1') },
        { path: '/identifiers/3/kind', message: 'duplicate kind "phone"' },
        { path: '/defaultCountry', message: expect.stringContaining('ISO 3166') },
        { path: '/traitConflict/sourceOrder', message: 'must not be empty' },
        { path: '/setOnceTraits/1', message: 'duplicate "a"' },
        { path: '/setOnceTraits/2', message: 'must be a non-empty string' },
        { path: '/probabilistic/threshold', message: 'must be a positive number' },
        { path: '/probabilistic/enabled', message: 'must be true or false' },
      ]),
    );
  });

  it('requires user_id to identify and never be shared', () => {
    expect(details({ identifiers: [{ kind: 'email' }] })).toEqual([
      { path: '/identifiers', message: 'must include the "user_id" kind' },
    ]);
    expect(details({ identifiers: [{ kind: 'user_id', identifies: false, shareable: true }] })).toEqual([
      { path: '/identifiers/0/identifies', message: 'user_id always identifies' },
      { path: '/identifiers/0/shareable', message: 'user_id cannot be shared' },
    ]);
  });

  it('rejects unknown rule names, shapes and keys', () => {
    expect(details({ traitConflict: { rule: 'newest' } })).toEqual([
      { path: '/traitConflict/rule', message: 'must be "latest" or "source_priority"' },
    ]);
    expect(details({ identifiers: [] })[0].path).toBe('/identifiers');
    expect(details({ externalIds: { kind: 'x', maxValues: 2 } })).toEqual([
      { path: '/externalIds/kind', message: 'unknown setting' },
    ]);
    expect(details({ identifiers: [{ kind: 'user_id', max: 1 }] })).toEqual([
      { path: '/identifiers/0/max', message: 'unknown setting' },
    ]);
    expect(details([1])).toEqual([{ path: '', message: 'must be an object' }]);
  });

  it('names the first problem in the message', () => {
    expect(() => validateIdentitySettings({ defaultCountry: 'XX', setOnceTraits: 'a' })).toThrow(
      /\/defaultCountry: .* \(and 1 more\)/,
    );
  });
});
