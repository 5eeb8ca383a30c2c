import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { type IdentifierKind, isBuiltInKind, KIND_PATTERN, kindOfExternalType } from './kinds.ts';
import type { IdentitySettings } from './settings.ts';

/**
 * One pure normaliser per identifier kind. Every normaliser is idempotent: normalising its own
 * output gives the same value. A value that does not normalise is kept as a trait by the caller
 * but never matches anything.
 */
export type RejectReason =
  | 'not_a_string'
  | 'empty'
  | 'too_long'
  | 'control_characters'
  | 'placeholder'
  | 'invalid_email'
  | 'invalid_phone'
  | 'invalid_kind';

export type NormalizeResult = { ok: true; value: string } | { ok: false; reason: RejectReason };

const MAX_ID_LENGTH = 512;
const MAX_TOKEN_LENGTH = 4096;

/** Values SDKs and forms send when they have no value; they would join unrelated people. */
const PLACEHOLDERS = new Set([
  'null',
  'undefined',
  'none',
  'nil',
  'nan',
  '[object object]',
  '0',
  '-1',
  'unknown',
  'n/a',
  'anonymous',
  'guest',
  'true',
  'false',
]);

const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX_ID = /^[0-9a-f][0-9a-f-]*$/i;

const ok = (value: string): NormalizeResult => ({ ok: true, value });
const fail = (reason: RejectReason): NormalizeResult => ({ ok: false, reason });

/** Strings as they are; finite numbers and bigints as their decimal text (SDKs send numbers). */
function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  return undefined;
}

/** Text, NFC, without invisible characters and surrounding white space; checks the basics. */
function cleanId(value: unknown, maxLength = MAX_ID_LENGTH): NormalizeResult {
  const text = asText(value);
  if (text === undefined) return fail('not_a_string');
  const s = text.normalize('NFC').replace(INVISIBLE, '').trim();
  if (s === '') return fail('empty');
  if (s.length > maxLength) return fail('too_long');
  if (CONTROL.test(s)) return fail('control_characters');
  if (PLACEHOLDERS.has(s.toLowerCase())) return fail('placeholder');
  return ok(s);
}

/** Trimmed; case is kept (user ids may be case-sensitive). */
export function normalizeUserId(value: unknown): NormalizeResult {
  return cleanId(value);
}

/**
 * Trimmed; UUIDs lower-cased (their hex is case-insensitive); a Google Analytics `_ga` cookie
 * `GA1.2.123.456` becomes its client id `123.456`, the form GA reports.
 */
export function normalizeAnonymousId(value: unknown): NormalizeResult {
  const r = cleanId(value);
  if (!r.ok) return r;
  const ga = /^GA\d+\.\d+\.(\d+\.\d+)$/i.exec(r.value);
  if (ga) return ok(ga[1]);
  return ok(UUID.test(r.value) ? r.value.toLowerCase() : r.value);
}

/** Trimmed; hex ids (IDFV, IDFA, Android id) lower-cased; all-zero ids (ad tracking off) refused. */
export function normalizeDeviceId(value: unknown): NormalizeResult {
  const r = cleanId(value);
  if (!r.ok) return r;
  if (!HEX_ID.test(r.value)) return r;
  if (/^[0-]+$/.test(r.value)) return fail('placeholder');
  return ok(r.value.toLowerCase());
}

/**
 * Trimmed; an APNs token (hex, possibly in the old `<abcd 1234 ...>` form) loses brackets and
 * spaces and is lower-cased. FCM tokens are case-sensitive and kept as they are.
 */
export function normalizePushToken(value: unknown): NormalizeResult {
  const r = cleanId(value, MAX_TOKEN_LENGTH);
  if (!r.ok) return r;
  const compact = r.value.replace(/^<|>$/g, '').replace(/\s+/g, '');
  if (/^[0-9a-f]{32,}$/i.test(compact)) return ok(compact.toLowerCase());
  return r;
}

const GMAIL = new Set(['gmail.com', 'googlemail.com']);
const YANDEX = new Set(['yandex.ru', 'ya.ru', 'yandex.com', 'yandex.by', 'yandex.kz', 'yandex.ua']);
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?$/u;
const LOCAL_PART = /^[^\s@"(),:;<>[\\\]]+$/u;

function validEmail(local: string, domain: string): boolean {
  if (local === '' || local.length > 64 || domain.length > 253) return false;
  if (!LOCAL_PART.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..'))
    return false;
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => DOMAIN_LABEL.test(l))) return false;
  const tld = labels[labels.length - 1];
  return /^\p{L}{2,}$/u.test(tld) || /^xn--[a-z0-9-]+$/.test(tld);
}

/**
 * Trimmed and lower-cased (a `mailto:` prefix dropped). Mailbox aliases are folded where the
 * provider documents them: Gmail and Googlemail ignore dots and `+tags`; Yandex ignores `+tags`,
 * treats `-` as `.` and serves ya.ru/yandex.* as one domain. Other providers keep their `+tags`:
 * on many servers they are distinct mailboxes.
 */
export function normalizeEmail(value: unknown): NormalizeResult {
  const r = cleanId(value, 320);
  if (!r.ok) return r;
  const s = r.value
    .replace(/^mailto:/i, '')
    .toLowerCase()
    .normalize('NFC');
  const at = s.lastIndexOf('@');
  if (at < 0) return fail('invalid_email');
  let local = s.slice(0, at);
  let domain = s.slice(at + 1).replace(/\.$/, '');
  if (GMAIL.has(domain)) {
    local = local.split('+')[0].replaceAll('.', '');
    domain = 'gmail.com';
  } else if (YANDEX.has(domain)) {
    local = local.split('+')[0].replaceAll('-', '.');
    domain = 'yandex.ru';
  }
  if (!validEmail(local, domain)) return fail('invalid_email');
  return ok(`${local}@${domain}`);
}

/**
 * E.164 (`+79161234567`) via libphonenumber-js full metadata. Numbers without a country code are
 * read in `defaultCountry` (so `8 (916) 123-45-67` in RU is `+79161234567`); a leading `00` is
 * the international prefix; a `tel:` prefix and extensions are dropped. Only numbers valid for
 * their country pass.
 */
export function normalizePhone(value: unknown, defaultCountry: CountryCode): NormalizeResult {
  const r = cleanId(value, 64);
  if (!r.ok) return r;
  const s = r.value.replace(/^tel:/i, '').replace(/^00(?=\d)/, '+');
  if (!/\d/.test(s)) return fail('invalid_phone');
  const phone = parsePhoneNumberFromString(s, defaultCountry);
  if (!phone?.isValid()) return fail('invalid_phone');
  return ok(phone.number);
}

/** The kind and value of an external id; the type decides the kind (see `kindOfExternalType`). */
export type ExternalIdResult =
  | { ok: true; kind: IdentifierKind; value: string }
  | { ok: false; kind?: IdentifierKind; reason: RejectReason };

/**
 * An external id `{ type, id }`. Types naming a built-in kind (`email`, `userId`, `client_id`,
 * ...) use that kind's normaliser; other types are opaque: trimmed, case kept.
 */
export function normalizeExternalId(
  type: unknown,
  value: unknown,
  defaultCountry: CountryCode = 'RU',
): ExternalIdResult {
  const kind = kindOfExternalType(type);
  if (kind === undefined) return { ok: false, reason: 'invalid_kind' };
  const r = isBuiltInKind(kind) ? normalizeBuiltIn(kind, value, defaultCountry) : cleanId(value);
  return r.ok ? { ok: true, kind, value: r.value } : { ok: false, kind, reason: r.reason };
}

function normalizeBuiltIn(kind: string, value: unknown, defaultCountry: CountryCode): NormalizeResult {
  switch (kind) {
    case 'user_id':
      return normalizeUserId(value);
    case 'email':
      return normalizeEmail(value);
    case 'phone':
      return normalizePhone(value, defaultCountry);
    case 'device_id':
      return normalizeDeviceId(value);
    case 'push_token':
      return normalizePushToken(value);
    case 'anonymous_id':
      return normalizeAnonymousId(value);
    default:
      return cleanId(value);
  }
}

/** Normalises a value of any kind under the workspace settings (phones use its default country). */
export function normalizeIdentifier(
  kind: IdentifierKind,
  value: unknown,
  settings: Pick<IdentitySettings, 'defaultCountry'>,
): NormalizeResult {
  if (!isBuiltInKind(kind) && !KIND_PATTERN.test(kind)) return fail('invalid_kind');
  return normalizeBuiltIn(kind, value, settings.defaultCountry);
}
