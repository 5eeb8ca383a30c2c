/**
 * How people really type their e-mail and phone: caps, stray spaces, Gmail dots and `+tags`,
 * `8 (916) 123-45-67` next to `+7 916 123 45 67`. Every variant normalises to the same address
 * or E.164 number (the identity service's job), so one person stays one person.
 */
import type { Person, Phone } from './people.ts';
import type { Rng } from './random.ts';

const CALLING_CODE: Record<Phone['country'], string> = { RU: '7', GB: '44', DE: '49' };

/** The address as the person would write it neatly. */
export function canonicalEmail(p: Pick<Person, 'emailLocal' | 'emailDomain'>): string {
  return `${p.emailLocal}@${p.emailDomain}`;
}

/** E.164, e.g. `+79161234567`. */
export function e164(phone: Phone): string {
  return `+${CALLING_CODE[phone.country]}${phone.national}`;
}

function capitalise(s: string): string {
  return s.replace(/(^|[._-])([a-z])/g, (_, sep: string, c: string) => sep + c.toUpperCase());
}

/** Gmail ignores dots: drop them, or put one in the middle of the name. */
function gmailDots(rng: Rng, local: string): string {
  const plain = local.replaceAll('.', '');
  if (rng.chance(0.5)) return plain;
  const letters = plain.search(/\d/);
  const at = rng.int(1, Math.max(1, (letters > 1 ? letters : plain.length) - 1));
  return `${plain.slice(0, at)}.${plain.slice(at)}`;
}

const TAGS = ['shop', 'kino', 'promo', 'news', 'orders'];

/** One way of writing the person's address. Only aliases the provider folds are used. */
export function messyEmail(rng: Rng, p: Pick<Person, 'emailLocal' | 'emailDomain'>): string {
  const { emailLocal: local, emailDomain: domain } = p;
  const gmail = domain === 'gmail.com';
  const yandex = domain === 'yandex.ru' || domain === 'ya.ru';
  const style = rng.weighted<string>([
    ['plain', 40],
    ['capitalised', 15],
    ['upper', 5],
    ['spaces', 10],
    ['alias', gmail || yandex ? 25 : 0],
    ['googlemail', gmail ? 5 : 0],
  ]);
  switch (style) {
    case 'capitalised':
      return `${capitalise(local)}@${domain[0].toUpperCase()}${domain.slice(1)}`;
    case 'upper':
      return `${local}@${domain}`.toUpperCase();
    case 'spaces':
      return `${rng.pick([' ', '  ', '\t'])}${local}@${domain}${rng.pick([' ', '', '  '])}`;
    case 'alias':
      if (gmail && rng.chance(0.5)) return `${gmailDots(rng, local)}@${domain}`;
      if (yandex && rng.chance(0.3))
        return `${local.replaceAll('.', '-')}@${domain === 'ya.ru' ? 'yandex.ru' : 'ya.ru'}`;
      return `${local}+${rng.pick(TAGS)}@${domain}`;
    case 'googlemail':
      return `${local}@googlemail.com`;
    default:
      return `${local}@${domain}`;
  }
}

function groups(digits: string, sizes: number[], sep: string): string {
  const out: string[] = [];
  let at = 0;
  for (const size of sizes) {
    out.push(digits.slice(at, at + size));
    at += size;
  }
  if (at < digits.length) out.push(digits.slice(at));
  return out.join(sep);
}

/**
 * One way of writing the number. Russian numbers appear in national form (`8 916 …`, read in
 * the workspace's default country RU); foreign ones always carry their country code.
 */
export function messyPhone(rng: Rng, phone: Phone): string {
  const n = phone.national;
  if (phone.country === 'RU') {
    const [code, a, b, c] = [n.slice(0, 3), n.slice(3, 6), n.slice(6, 8), n.slice(8)];
    return rng.pick([
      `8 (${code}) ${a}-${b}-${c}`,
      `+7 ${code} ${a} ${b} ${c}`,
      `8${n}`,
      `+7${n}`,
      `7${n}`,
      `+7 (${code}) ${a}-${b}-${c}`,
      `8-${code}-${a}-${b}-${c}`,
      ` 8 ${code} ${a}${b}${c} `,
    ]);
  }
  const cc = CALLING_CODE[phone.country];
  const split = phone.country === 'GB' ? [4, 6] : [3, 4, 4];
  return rng.pick([
    `+${cc} ${groups(n, split, ' ')}`,
    `+${cc}${n}`,
    `00${cc} ${groups(n, split, ' ')}`,
    `+${cc} (0)${n}`,
  ]);
}

export type SignInMethod = 'email' | 'phone' | 'vk_id' | 'yandex_id' | 'apple' | 'google';

/** Profile traits sent on identify. Which identifiers appear depends on how the person signed in. */
export function identifyTraits(
  rng: Rng,
  p: Person,
  method: SignInMethod,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const withEmail = method !== 'phone' || rng.chance(0.4);
  const withPhone = p.phone !== null && (method === 'phone' || rng.chance(0.5));
  return {
    name: `${p.firstName} ${p.lastName}`,
    first_name: p.firstName,
    last_name: p.lastName,
    ...(withEmail ? { email: messyEmail(rng, p) } : {}),
    ...(withPhone && p.phone ? { phone: messyPhone(rng, p.phone) } : {}),
    city: p.city.name,
    birthday: p.birthday,
    gender: p.gender,
    ...extra,
  };
}
