import { describe, expect, it } from 'vitest';
import {
  maskEmail,
  maskEvent,
  maskIdentifier,
  maskInitial,
  maskMember,
  maskPhone,
  maskProfile,
  maskTraits,
  maskValue,
  piiPolicy,
} from './pii.ts';

describe('PII masking', () => {
  it('masks emails to their first letters and the TLD', () => {
    expect(maskEmail('ivan.petrov@mail.ru')).toBe('i***@m***.ru');
    expect(maskEmail('Ann@sub.example.com')).toBe('A***@s***.com');
    expect(maskEmail('not an email')).toBe('***');
  });

  it('masks phones to the country code and the last four digits', () => {
    expect(maskPhone('+79161234567')).toBe('+7 *** ***-45-67');
    expect(maskPhone('+442079460958')).toBe('+44 *** ***-09-58');
    expect(maskPhone('8 (916) 123-45-67')).toBe('*** ***-45-67');
    expect(maskPhone('12345')).toBe('***');
  });

  it('masks names and addresses to the first letter, anything else entirely', () => {
    expect(maskInitial('Иван')).toBe('И***');
    expect(maskValue('Petrov', 'last_name')).toBe('P***');
    expect(maskValue({ city: 'Moscow', zip: 101000 }, 'address')).toEqual({ city: 'M***', zip: '***' });
    expect(maskValue('1990-01-02', 'birthday')).toBe('***');
    expect(maskValue('AB123456', 'passport')).toBe('***');
    expect(maskValue(null, 'email')).toBeNull();
    expect(maskValue(undefined, 'email')).toBeUndefined();
    expect(maskValue(42, 'email')).toBe('***');
    expect(maskValue(['a@b.ru', '+79161234567'], 'contacts')).toEqual(['a***@b***.ru', '+7 *** ***-45-67']);
  });

  it('masks PII trait paths, custom fields, and contact-like values elsewhere', () => {
    const policy = piiPolicy(['passport', 'billing.card']);
    expect(
      maskTraits(
        {
          email: 'ivan@mail.ru',
          plan: 'pro',
          passport: '4510 123456',
          billing: { card: '4111', country: 'RU' },
          address: { street: 'Tverskaya 1' },
          backup: '+79161234567',
          age: 30,
        },
        policy,
      ),
    ).toEqual({
      email: 'i***@m***.ru',
      plan: 'pro',
      passport: '***',
      billing: { card: '***', country: 'RU' },
      address: { street: 'T***' },
      backup: '+7 *** ***-45-67',
      age: 30,
    });
  });

  it('masks identities of kind email/phone and contact-like values of other kinds', () => {
    expect(maskIdentifier('email', 'a@b.ru')).toBe('a***@b***.ru');
    expect(maskIdentifier('phone', '+79161234567')).toBe('+7 *** ***-45-67');
    expect(maskIdentifier('user_id', 'u-42')).toBe('u-42');
    expect(maskIdentifier('user_id', 'ann@x.io')).toBe('a***@x***.io');
  });

  it('masks profiles, events and members; a null policy changes nothing', () => {
    const view = {
      id: 'p1',
      traits: { name: 'Ivan', email: 'ivan@mail.ru' },
      identities: [{ type: 'phone', value: '+79161234567', source: 'x' }],
    };
    expect(maskProfile(view, null)).toBe(view);
    expect(maskProfile(view, piiPolicy())).toEqual({
      id: 'p1',
      traits: { name: 'I***', email: 'i***@m***.ru' },
      identities: [{ type: 'phone', value: '+7 *** ***-45-67', source: 'x' }],
    });
    const event = {
      userId: 'ivan@mail.ru',
      properties: { email: 'x@y.ru', sku: 'A1' },
      traits: { phone: '+79161234567' },
      context: { ip: '1.2.3.4', traits: { firstName: 'Ivan' } },
    };
    expect(maskEvent(event, piiPolicy())).toEqual({
      userId: 'i***@m***.ru',
      properties: { email: 'x***@y***.ru', sku: 'A1' },
      traits: { phone: '+7 *** ***-45-67' },
      context: { ip: '1.2.3.4', traits: { firstName: 'I***' } },
    });
    expect(
      maskMember(
        { traits: { name: 'Ann' }, identifiers: { email: ['ann@x.io'], user_id: ['42'] } },
        piiPolicy(),
      ),
    ).toEqual({ traits: { name: 'A***' }, identifiers: { email: ['a***@x***.io'], user_id: ['42'] } });
  });
});
