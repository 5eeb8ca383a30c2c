import { describe, expect, it } from 'vitest';
import {
  normalizeAnonymousId,
  normalizeDeviceId,
  normalizeEmail,
  normalizeExternalId,
  normalizeIdentifier,
  normalizePhone,
  normalizePushToken,
  normalizeUserId,
} from './normalize.ts';

const value = (v: string) => ({ ok: true, value: v });
const reason = (r: string) => ({ ok: false, reason: r });

describe('normalizeEmail', () => {
  it.each([
    ['  Ivan.Petrov@Mail.RU ', 'ivan.petrov@mail.ru'],
    ['Ivan.Petrov+promo@gmail.com', 'ivanpetrov@gmail.com'],
    ['i.v.a.n.petrov@googlemail.com', 'ivanpetrov@gmail.com'],
    ['mailto:Anna@Example.org', 'anna@example.org'],
    ['ivan-petrov+shop@ya.ru', 'ivan.petrov@yandex.ru'],
    ['ivan.petrov@yandex.com', 'ivan.petrov@yandex.ru'],
    ['ivan+tag@outlook.com', 'ivan+tag@outlook.com'],
    ['user@example.com.', 'user@example.com'],
    ['Иван@Почта.РФ', 'иван@почта.рф'],
    ['\u200Bivan@mail.ru', 'ivan@mail.ru'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeEmail(input)).toEqual(value(expected));
  });

  it.each([
    ['ivan@', 'invalid_email'],
    ['test', 'invalid_email'],
    ['ivan petrov@mail.ru', 'invalid_email'],
    ['ivan@mail', 'invalid_email'],
    ['.ivan@mail.ru', 'invalid_email'],
    ['iv..an@mail.ru', 'invalid_email'],
    ['+promo@gmail.com', 'invalid_email'],
    ['a@b@c.com', 'invalid_email'],
    ['   ', 'empty'],
    ['null', 'placeholder'],
  ])('%j is refused (%s)', (input, r) => {
    expect(normalizeEmail(input)).toEqual(reason(r));
  });

  it('refuses non-strings', () => {
    expect(normalizeEmail({ email: 'a@b.co' })).toEqual(reason('not_a_string'));
    expect(normalizeEmail(['a@b.co'])).toEqual(reason('not_a_string'));
  });
});

describe('normalizePhone', () => {
  it.each([
    '8 (916) 123-45-67',
    '+7 916 123 45 67',
    '+7(916)1234567',
    '89161234567',
    '79161234567',
    '9161234567',
    '8-916-123-45-67',
    '007 916 123 45 67',
    'tel:+79161234567',
    '+7 916 123-45-67 доб. 12',
  ])('%j is +79161234567 in RU', (input) => {
    expect(normalizePhone(input, 'RU')).toEqual(value('+79161234567'));
  });

  it('reads numbers without a country code in the default country', () => {
    expect(normalizePhone('020 7946 0958', 'GB')).toEqual(value('+442079460958'));
    expect(normalizePhone('020 7946 0958', 'RU')).toEqual(reason('invalid_phone'));
    expect(normalizePhone('+44 20 7946 0958', 'RU')).toEqual(value('+442079460958'));
  });

  it('accepts numbers sent as numbers', () => {
    expect(normalizePhone(89161234567, 'RU')).toEqual(value('+79161234567'));
  });

  it.each(['12345', '+7 000 000 00 00', 'нет', 'phone', '+7 916'])('%j is refused', (input) => {
    expect(normalizePhone(input, 'RU')).toEqual(reason('invalid_phone'));
  });
});

describe('ids', () => {
  it('user ids are trimmed, case kept, numbers accepted', () => {
    expect(normalizeUserId('  User-42 ')).toEqual(value('User-42'));
    expect(normalizeUserId(42)).toEqual(value('42'));
    expect(normalizeUserId(Number.NaN)).toEqual(reason('not_a_string'));
    expect(normalizeUserId('undefined')).toEqual(reason('placeholder'));
    expect(normalizeUserId('[object Object]')).toEqual(reason('placeholder'));
    expect(normalizeUserId('a\nb')).toEqual(reason('control_characters'));
    expect(normalizeUserId('x'.repeat(513))).toEqual(reason('too_long'));
  });

  it('anonymous ids: UUIDs lower-cased, GA cookies reduced to the client id', () => {
    expect(normalizeAnonymousId('321B35CF-440B-4E34-AA75-8E3DABA2F6F8')).toEqual(
      value('321b35cf-440b-4e34-aa75-8e3daba2f6f8'),
    );
    expect(normalizeAnonymousId('GA1.2.1234567890.1700000000')).toEqual(value('1234567890.1700000000'));
    expect(normalizeAnonymousId('CID123456')).toEqual(value('CID123456'));
  });

  it('device ids: hex lower-cased, the all-zero advertising id refused', () => {
    expect(normalizeDeviceId('EC97FD8F-DF0B-444B-8A94-B8CCF80FF231')).toEqual(
      value('ec97fd8f-df0b-444b-8a94-b8ccf80ff231'),
    );
    expect(normalizeDeviceId('A1E763EE2E621C33')).toEqual(value('a1e763ee2e621c33'));
    expect(normalizeDeviceId('00000000-0000-0000-0000-000000000000')).toEqual(reason('placeholder'));
    expect(normalizeDeviceId('Pixel-7 Device')).toEqual(value('Pixel-7 Device'));
  });

  it('push tokens: APNs hex compacted and lower-cased, FCM kept', () => {
    const apns = 'ab12cd34'.repeat(8);
    const spaced = `<${apns.match(/.{8}/g)!.join(' ').toUpperCase()}>`;
    expect(normalizePushToken(spaced)).toEqual(value(apns));
    const fcm = 'f58db450f33:APA91bHkX_aZ';
    expect(normalizePushToken(fcm)).toEqual(value(fcm));
  });
});

describe('normalizeExternalId', () => {
  it('uses the built-in normaliser when the type names a built-in kind', () => {
    expect(normalizeExternalId('email', ' A@B.com ')).toEqual({ ok: true, kind: 'email', value: 'a@b.com' });
    expect(normalizeExternalId('phone', '8 916 123 45 67', 'RU')).toEqual({
      ok: true,
      kind: 'phone',
      value: '+79161234567',
    });
  });
  it('keeps custom ids opaque', () => {
    expect(normalizeExternalId('crm_id', ' CRM-001 ')).toEqual({
      ok: true,
      kind: 'crm_id',
      value: 'CRM-001',
    });
  });
  it('names the failing kind', () => {
    expect(normalizeExternalId('email', 'nope')).toEqual({
      ok: false,
      kind: 'email',
      reason: 'invalid_email',
    });
    expect(normalizeExternalId('', 'x')).toEqual({ ok: false, reason: 'invalid_kind' });
  });
});

describe('normalizeIdentifier', () => {
  it('dispatches on kind and uses the default country', () => {
    expect(normalizeIdentifier('phone', '8 (916) 123-45-67', { defaultCountry: 'RU' })).toEqual(
      value('+79161234567'),
    );
    expect(normalizeIdentifier('email', 'X@Y.io', { defaultCountry: 'RU' })).toEqual(value('x@y.io'));
    expect(normalizeIdentifier('crm_id', ' 7 ', { defaultCountry: 'RU' })).toEqual(value('7'));
    expect(normalizeIdentifier('Bad Kind', '7', { defaultCountry: 'RU' })).toEqual(reason('invalid_kind'));
  });
});
