import { describe, expect, it } from 'vitest';
import { identifierKey, kindOfExternalType } from './kinds.ts';

describe('kindOfExternalType', () => {
  it('maps spellings of built-in kinds', () => {
    expect(kindOfExternalType('userId')).toBe('user_id');
    expect(kindOfExternalType(' Email ')).toBe('email');
    expect(kindOfExternalType('client_id')).toBe('anonymous_id');
    expect(kindOfExternalType('phone-number')).toBe('phone');
  });
  it('keeps custom types as lower-case kinds', () => {
    expect(kindOfExternalType('CRM ID')).toBe('crm_id');
    expect(kindOfExternalType('android.idfa')).toBe('android.idfa');
  });
  it('refuses types that cannot be kinds', () => {
    expect(kindOfExternalType('')).toBeUndefined();
    expect(kindOfExternalType('1abc')).toBeUndefined();
    expect(kindOfExternalType('a:b')).toBeUndefined();
    expect(kindOfExternalType(42)).toBeUndefined();
  });
  it('builds unambiguous keys', () => {
    expect(identifierKey({ kind: 'email', value: 'a@b.co' })).toBe('email:a@b.co');
  });
});
