import { describe, expect, it } from 'vitest';
import { extractIdentifiers } from './extract.ts';
import { defaultIdentitySettings } from './settings.ts';

const s = defaultIdentitySettings;

describe('extractIdentifiers', () => {
  it('reads Segment fields, traits, device and external ids, normalised', () => {
    const r = extractIdentifiers(
      {
        userId: 42,
        anonymousId: '321B35CF-440B-4E34-AA75-8E3DABA2F6F8',
        traits: { email: ' Ivan.Petrov+promo@gmail.com ', phone: '8 (916) 123-45-67', name: 'Иван' },
        context: {
          traits: { email: 'ivanpetrov@gmail.com' },
          device: { id: 'A1E763EE2E621C33', type: 'Android', token: 'fcm:TOKEN_1' },
          externalIds: [
            { id: 'CRM-7', type: 'crm_id', collection: 'users' },
            { id: 'work@corp.io', type: 'email', collection: 'users' },
          ],
        },
      },
      s,
    );
    expect(r.identifiers).toEqual([
      { kind: 'user_id', value: '42' },
      { kind: 'email', value: 'ivanpetrov@gmail.com' },
      { kind: 'phone', value: '+79161234567' },
      { kind: 'device_id', value: 'a1e763ee2e621c33' },
      { kind: 'push_token', value: 'fcm:TOKEN_1' },
      { kind: 'anonymous_id', value: '321b35cf-440b-4e34-aa75-8e3daba2f6f8' },
      { kind: 'crm_id', value: 'CRM-7' },
      { kind: 'email', value: 'work@corp.io' },
    ]);
    expect(r.rejected).toEqual([]);
    expect(r.deviceType).toBe('android');
  });

  it('reads seed 004 flat fields and their properties twins', () => {
    const r = extractIdentifiers(
      {
        client_id: 'GA1.2.1234567890.1700000000',
        device_type: 'web',
        push_token: 'TOKEN123456',
        user_id: 'u-1',
        email: 'A@B.ru',
        phone: '+7 916 123 45 67',
        properties: { client_id: 'CID123456', push_token: 'TOKEN123456', email: 'friend@x.ru' },
      },
      s,
    );
    expect(r.identifiers).toEqual([
      { kind: 'user_id', value: 'u-1' },
      { kind: 'email', value: 'a@b.ru' },
      { kind: 'phone', value: '+79161234567' },
      { kind: 'push_token', value: 'TOKEN123456' },
      { kind: 'anonymous_id', value: '1234567890.1700000000' },
      { kind: 'anonymous_id', value: 'CID123456' },
    ]);
    expect(r.deviceType).toBe('web');
  });

  it('rejects values that do not normalise, naming the path and reason', () => {
    const r = extractIdentifiers(
      {
        userId: 'undefined',
        anonymousId: 'anon-1',
        traits: { email: 'ivan@', phone: '12345' },
        context: {
          device: { id: '00000000-0000-0000-0000-000000000000' },
          externalIds: [{ id: 'x', type: 'bad type!' }, 'oops', { id: '', type: 'crm_id' }],
        },
      },
      s,
    );
    expect(r.identifiers).toEqual([{ kind: 'anonymous_id', value: 'anon-1' }]);
    expect(r.rejected).toEqual([
      { kind: 'user_id', raw: 'undefined', reason: 'placeholder', path: '/userId' },
      { kind: 'email', raw: 'ivan@', reason: 'invalid_email', path: '/traits/email' },
      { kind: 'phone', raw: '12345', reason: 'invalid_phone', path: '/traits/phone' },
      {
        kind: 'device_id',
        raw: '00000000-0000-0000-0000-000000000000',
        reason: 'placeholder',
        path: '/context/device/id',
      },
      { kind: 'bad type!', raw: 'x', reason: 'invalid_kind', path: '/context/externalIds/0/type' },
      { kind: 'external', raw: 'oops', reason: 'not_a_string', path: '/context/externalIds/1' },
    ]);
  });

  it('treats null, undefined and empty strings as not sent', () => {
    const r = extractIdentifiers(
      { userId: null, anonymousId: '', traits: { email: undefined }, context: null },
      s,
    );
    expect(r).toEqual({ identifiers: [], rejected: [] });
  });

  it('uses the workspace default country for phones', () => {
    const gb = { ...s, defaultCountry: 'GB' as const };
    expect(extractIdentifiers({ traits: { phone: '020 7946 0958' } }, gb).identifiers).toEqual([
      { kind: 'phone', value: '+442079460958' },
    ]);
    expect(extractIdentifiers({ traits: { phone: '020 7946 0958' } }, s).rejected[0].reason).toBe(
      'invalid_phone',
    );
  });

  it('does not read inherited properties', () => {
    const traits = Object.create({ email: 'proto@x.ru' });
    expect(extractIdentifiers({ traits }, s).identifiers).toEqual([]);
  });
});
