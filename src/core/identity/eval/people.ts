import { normalizeEmail } from '../normalize.ts';
import {
  CITIES,
  EMAIL_DOMAINS,
  EN_FEMALE,
  EN_MALE,
  EN_SURNAMES,
  RU_FEMALE,
  RU_MALE,
  RU_MOBILE_CODES,
  RU_PATRONYMICS_FEMALE,
  RU_PATRONYMICS_MALE,
  RU_SURNAMES,
} from './names.ts';
import type { Rng } from './prng.ts';

/** Synthetic people, their devices, and the messy ways they write their details. */
export interface Device {
  kind: 'web' | 'ios' | 'android';
  anonymousId: string;
  deviceId?: string;
  pushToken?: string;
  /** Sends seed 004's flat fields (client_id, user_id, device_type) instead of Segment's. */
  seedStyle: boolean;
  /** Reports the all-zero advertising id (tracking off): must never link anyone. */
  zeroDeviceId: boolean;
}

export interface Person {
  id: string;
  lang: 'ru' | 'en';
  female: boolean;
  first: { cyr?: string; latin: readonly string[] };
  last: { cyr?: string; latin: readonly string[] };
  patronymic?: string;
  birthDate: string;
  city: { cyr: string; latin: string };
  userId?: string;
  emails: string[];
  /** National significant number and its country. */
  phone?: { country: 'RU' | 'GB'; national: string };
  devices: Device[];
}

/** Keeps generated emails, phones and ids unique across people. */
export class Uniques {
  private readonly used = new Set<string>();
  take(key: string): boolean {
    if (this.used.has(key)) return false;
    this.used.add(key);
    return true;
  }
}

function birthDate(rng: Rng): string {
  const y = rng.int(1960, 2005);
  const m = rng.int(1, 12);
  const d = rng.int(1, 28);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function newDevice(rng: Rng, kind: Device['kind']): Device {
  const seedStyle = kind === 'web' && rng.chance(0.1);
  const anonymousId = seedStyle ? `${rng.int(1e8, 2e9)}.${rng.int(1.6e9, 1.7e9)}` : rng.uuid();
  if (kind === 'web') return { kind, anonymousId, seedStyle, zeroDeviceId: false };
  const deviceId = kind === 'ios' ? rng.uuid().toUpperCase() : rng.hex(16);
  const pushToken =
    kind === 'ios' ? rng.hex(64) : `${rng.hex(11)}:APA91b${rng.hex(60)}${rng.hex(60).toUpperCase()}`;
  return { kind, anonymousId, deviceId, pushToken, seedStyle: false, zeroDeviceId: rng.chance(0.02) };
}

function newEmail(rng: Rng, p: Pick<Person, 'first' | 'last' | 'birthDate'>, uniques: Uniques): string {
  for (;;) {
    const f = p.first.latin[0].toLowerCase();
    const l = p.last.latin[0].toLowerCase();
    const yy = p.birthDate.slice(2, 4);
    const n = rng.int(1, 999);
    const local = rng.weighted<string>([
      [`${f}.${l}${yy}`, 3],
      [`${f}${l}${n}`, 3],
      [`${f[0]}.${l}${n}`, 2],
      [`${l}.${f}${rng.int(1, 99)}`, 2],
      [`${rng.pick(['sun', 'cat', 'wolf', 'star', 'fox'])}_${rng.hex(5)}`, 1],
    ]);
    const email = `${local}@${rng.weighted(EMAIL_DOMAINS)}`;
    const key = normalizeEmail(email);
    if (key.ok && uniques.take(`email:${key.value}`)) return email;
  }
}

function newPhone(rng: Rng, lang: Person['lang'], uniques: Uniques): Person['phone'] {
  for (;;) {
    const foreign = lang === 'en' && rng.chance(0.4);
    const national = foreign
      ? `7${rng.int(400, 999)}${rng.int(100000, 999999)}`
      : `${rng.pick(RU_MOBILE_CODES)}${rng.int(1000000, 9999999)}`;
    if (uniques.take(`phone:${national}`)) return { country: foreign ? 'GB' : 'RU', national };
  }
}

function otherFirstName(rng: Rng, p: Person): Person['first'] {
  for (;;) {
    const first: Person['first'] =
      p.lang === 'ru'
        ? rng.pick(p.female ? RU_FEMALE : RU_MALE)
        : { latin: [rng.pick(p.female ? EN_FEMALE : EN_MALE)] };
    if (first.latin[0] !== p.first.latin[0]) return first;
  }
}

/**
 * A new person. With `like`: a namesake (same language, gender, name and city, another birth
 * date) or, with `family`, a relative (same surname and city, another first name).
 */
export function newPerson(rng: Rng, index: number, uniques: Uniques, like?: Person, family = false): Person {
  const lang = like?.lang ?? (rng.chance(0.75) ? 'ru' : 'en');
  const female = like ? like.female : rng.chance(0.5);
  let first: Person['first'];
  let last: Person['last'];
  let patronymic: string | undefined;
  if (lang === 'ru') {
    const f = rng.pick(female ? RU_FEMALE : RU_MALE);
    const l = rng.pick(RU_SURNAMES);
    first = like?.first ?? { cyr: f.cyr, latin: f.latin };
    last = like?.last ?? (female ? { cyr: `${l.cyr}а`, latin: l.latin.map((x) => `${x}a`) } : l);
    patronymic = rng.pick(female ? RU_PATRONYMICS_FEMALE : RU_PATRONYMICS_MALE);
  } else {
    first = like?.first ?? { latin: [rng.pick(female ? EN_FEMALE : EN_MALE)] };
    last = like?.last ?? { latin: [rng.pick(EN_SURNAMES)] };
  }
  const person: Person = {
    id: `person_${index}`,
    lang,
    female,
    first,
    last,
    patronymic,
    birthDate: birthDate(rng),
    city: like?.city ?? rng.weighted(CITIES),
    emails: [],
    devices: [],
  };
  while (like && person.birthDate === like.birthDate) person.birthDate = birthDate(rng);
  if (like && family) person.first = otherFirstName(rng, like);
  if (rng.chance(0.85)) {
    for (;;) {
      const userId = rng.chance(0.7) ? String(rng.int(100000, 9999999)) : `usr_${rng.hex(10)}`;
      if (uniques.take(`user:${userId}`)) {
        person.userId = userId;
        break;
      }
    }
  }
  const emailCount = rng.weighted([
    [0, 5],
    [1, 70],
    [2, 25],
  ]);
  for (let i = 0; i < emailCount; i++) person.emails.push(newEmail(rng, person, uniques));
  if (rng.chance(0.75)) person.phone = newPhone(rng, lang, uniques);
  const deviceCount = rng.weighted([
    [1, 45],
    [2, 35],
    [3, 15],
    [4, 5],
  ]);
  for (let i = 0; i < deviceCount; i++) {
    person.devices.push(
      newDevice(
        rng,
        rng.weighted<Device['kind']>([
          ['web', 60],
          ['ios', 20],
          ['android', 20],
        ]),
      ),
    );
  }
  return person;
}

/** How a person writes their name in a form: Cyrillic or Latin, either word order. */
export function renderName(rng: Rng, p: Person, withPatronymic = false): string {
  const latin = p.lang === 'en' || rng.chance(0.3);
  const first = latin ? rng.pick(p.first.latin) : p.first.cyr!;
  const last = latin ? rng.pick(p.last.latin) : p.last.cyr!;
  if (withPatronymic && !latin && p.patronymic) return `${last} ${first} ${p.patronymic}`;
  return rng.chance(0.8) ? `${first} ${last}` : `${last} ${first}`;
}

export function renderCity(rng: Rng, p: Person): string {
  if (p.lang === 'en' || rng.chance(0.25)) return p.city.latin;
  return rng.chance(0.1) ? `г. ${p.city.cyr}` : p.city.cyr;
}

/** The many ways one Russian mobile gets typed; GB numbers in international or national form. */
export function renderPhone(rng: Rng, phone: NonNullable<Person['phone']>): string {
  const n = phone.national;
  if (phone.country === 'GB')
    return rng.chance(0.7) ? `+44 ${n.slice(0, 4)} ${n.slice(4)}` : `0${n.slice(0, 4)} ${n.slice(4)}`;
  const [a, b, c, d] = [n.slice(0, 3), n.slice(3, 6), n.slice(6, 8), n.slice(8)];
  return rng.pick([
    `8 (${a}) ${b}-${c}-${d}`,
    `+7 ${a} ${b} ${c} ${d}`,
    `+7(${a})${b}${c}${d}`,
    `8${a}${b}${c}${d}`,
    `7${a}${b}${c}${d}`,
    `+7-${a}-${b}-${c}-${d}`,
    `${a}${b}${c}${d}`,
    ` +7 (${a}) ${b}-${c}${d} `,
    `8-${a}-${b}${c}${d}`,
  ]);
}

/** Case, spaces and provider aliases that all reach the same mailbox. */
export function renderEmail(rng: Rng, email: string): string {
  const [local, domain] = email.split('@');
  let l = local;
  let d = domain;
  if (domain === 'gmail.com' && rng.chance(0.3)) {
    l = rng.pick([`${local.replaceAll('.', '')}`, `${local}+promo`, `${local}+shop`]);
    if (rng.chance(0.3)) d = 'googlemail.com';
  }
  if (domain === 'yandex.ru' && rng.chance(0.3)) d = rng.pick(['ya.ru', 'yandex.com']);
  const cap = (s: string) =>
    s.replace(/(^|[.])(\p{L})/gu, (_, sep: string, ch: string) => sep + ch.toUpperCase());
  return rng.weighted<string>([
    [`${l}@${d}`, 5],
    [`${l}@${d}`.toUpperCase(), 1],
    [`${cap(l)}@${cap(d)}`, 2],
    [` ${l}@${d} `, 1],
  ]);
}

/** One keyboard slip in the local part (two adjacent letters swapped, or one dropped). */
export function typoEmail(rng: Rng, email: string): string {
  const [local, domain] = email.split('@');
  const alnum = (ch: string | undefined) => ch !== undefined && /[a-z0-9]/.test(ch);
  const chars = [...local];
  const letters = chars.map((ch, i) => ({ ch, i })).filter(({ ch }) => alnum(ch));
  if (letters.length < 3) return `${local}x@${domain}`;
  const { i } = letters[rng.int(1, letters.length - 2)];
  if (rng.chance(0.5) && alnum(chars[i + 1]) && chars[i + 1] !== chars[i]) {
    [chars[i], chars[i + 1]] = [chars[i + 1], chars[i]];
  } else chars.splice(i, 1);
  return `${chars.join('')}@${domain}`;
}

/** The same phone with one digit changed or two adjacent digits swapped. */
export function typoPhone(rng: Rng, phone: NonNullable<Person['phone']>): Person['phone'] {
  const digits = [...phone.national];
  const i = rng.int(3, digits.length - 2);
  if (rng.chance(0.5) && digits[i] !== digits[i + 1]) [digits[i], digits[i + 1]] = [digits[i + 1], digits[i]];
  else digits[i] = String((Number(digits[i]) + rng.int(1, 9)) % 10);
  return { country: phone.country, national: digits.join('') };
}
