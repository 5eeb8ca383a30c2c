/**
 * Simulated people: who they are, the e-mail and phone they own, their clients (devices.ts),
 * when they are active, how likely they are to sign in and buy.
 */
import { type Client, clientsOf, type Household, type ProductKind } from './devices.ts';
import {
  type City,
  EMAIL_DOMAINS_EN,
  EMAIL_DOMAINS_RU,
  EN_CITIES,
  EN_FEMALE,
  EN_MALE,
  EN_SURNAMES,
  type Name,
  RU_CITIES,
  RU_FEMALE,
  RU_MALE,
  RU_SURNAMES,
  WEB_AGENTS,
} from './names.ts';
import { createRng, hash32, type Rng } from './random.ts';

export type { CartLine, Client, DeviceType, ProductKind } from './devices.ts';
export { originOf } from './devices.ts';

export const DAY_MS = 86_400_000;

export interface Phone {
  country: 'RU' | 'GB' | 'DE';
  /** National significant number: `9161234567`, `7911123456`, `15123456789`. */
  national: string;
}

export interface Person {
  index: number;
  userId: string;
  lang: 'ru' | 'en';
  gender: 'male' | 'female';
  firstName: string;
  lastName: string;
  emailLocal: string;
  emailDomain: string;
  phone: Phone | null;
  birthday: string;
  city: City;
  locale: string;
  products: Record<ProductKind, boolean>;
  /** A customer from before the window: signed in from the first event. */
  existing: boolean;
  /** Ever signs in (some people stay anonymous for good). */
  signsIn: boolean;
  /** Anonymous sessions on the first client before the first sign-in. */
  anonymousSessions: number;
  /** Leaves an e-mail in a newsletter form while still anonymous. */
  leadCapture: boolean;
  clients: Client[];
  activeFrom: number;
  activeTo: number;
  sessionsPerWeek: number;
  /** Chance that a shop session is meant to end in a purchase. */
  buyIntent: number;
  /** Shares location in the app. */
  sharesLocation: boolean;
}

/** The rng of person `index`: independent of every other person, so people can be made in any order. */
export function personRng(seed: number, index: number): Rng {
  return createRng(hash32(seed, index));
}

function weightedCity(rng: Rng, cities: readonly City[]): City {
  return rng.weighted(cities.map((c) => [c, c.weight] as const));
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** A mobile number unique per person (a bijection of the index), valid for libphonenumber. */
function newPhone(rng: Rng, seed: number, index: number, country: Phone['country']): Phone {
  const unique = (index * 104_729 + hash32(seed, 77)) % 100_000_000;
  if (country === 'RU') return { country, national: `9${rng.int(0, 9)}${pad(unique, 8)}` };
  if (country === 'GB') return { country, national: `7${rng.pick(['4', '5', '8', '9'])}${pad(unique, 8)}` };
  return { country, national: `1${rng.pick(['51', '52', '57', '70', '71', '76'])}${pad(unique, 8)}` };
}

/** The local part ends in the person's number, so no two people share an address (even Gmail-folded). */
function newEmailLocal(rng: Rng, first: Name, last: Name, index: number): string {
  const f = first.latin.toLowerCase();
  const l = last.latin.toLowerCase();
  const n = index + 1;
  return rng.weighted<string>([
    [`${f}.${l}${n}`, 4],
    [`${f}${l}${n}`, 2],
    [`${f[0]}.${l}${n}`, 2],
    [`${l}.${f}${n}`, 1],
    [`${f}_${l}${n}`, 1],
    [`${l}${n}`, 1],
  ]);
}

function birthday(rng: Rng): string {
  return `${rng.int(1962, 2006)}-${pad(rng.int(1, 12), 2)}-${pad(rng.int(1, 28), 2)}`;
}

/** People 2k and 2k+1 form a household; a few share a laptop on which both sign in to the shop. */
function household(seed: number, index: number, profiles: number): Household {
  const rng = createRng(hash32(seed, 0x5eed, Math.floor(index / 2)));
  const partner = index ^ 1;
  return {
    shares: partner < profiles && rng.chance(0.06),
    city: weightedCity(rng, RU_CITIES),
    deviceId: rng.uuid(),
    anonymousId: rng.uuid(),
    agent: rng.pick(WEB_AGENTS.slice(0, 3)),
  };
}

/** Person `index` of `profiles`, active within [windowStart, now]. */
export function createPerson(
  seed: number,
  index: number,
  profiles: number,
  windowStart: number,
  now: number,
): Person {
  const rng = personRng(seed, index);
  const h = household(seed, index, profiles);
  const lang = h.shares || rng.chance(0.78) ? 'ru' : 'en';
  const gender = rng.chance(0.52) ? 'female' : 'male';
  const female = gender === 'female';
  const first = rng.pick(lang === 'ru' ? (female ? RU_FEMALE : RU_MALE) : female ? EN_FEMALE : EN_MALE);
  const last = lang === 'ru' ? rng.pick(RU_SURNAMES)[female ? 1 : 0] : rng.pick(EN_SURNAMES);
  const city = h.shares ? h.city : weightedCity(rng, lang === 'ru' ? RU_CITIES : EN_CITIES);
  const locale = lang === 'ru' ? 'ru-RU' : city.country === 'DE' ? 'de-DE' : 'en-GB';
  const domains = lang === 'ru' ? EMAIL_DOMAINS_RU : EMAIL_DOMAINS_EN;
  const shopOnly = rng.chance(0.6);
  const products = h.shares
    ? { shop: true, media: rng.chance(0.3) }
    : { shop: shopOnly || rng.chance(0.4), media: !shopOnly };
  const existing = rng.chance(0.3);
  const span = now - windowStart;
  const arrival = existing ? windowStart : windowStart + span * rng.next() ** 0.85;
  const activeFrom = Math.min(arrival, now - 3_600_000);
  const lifetime = existing ? rng.exponential(150 * DAY_MS) : DAY_MS + rng.exponential(40 * DAY_MS);
  const partial = { locale, city, products };
  return {
    index,
    userId: rng.uuid(),
    lang,
    gender,
    firstName: first.text,
    lastName: last.text,
    emailLocal: newEmailLocal(rng, first, last, index),
    emailDomain: rng.weighted(domains),
    phone: rng.chance(0.8) ? newPhone(rng, seed, index, city.country) : null,
    birthday: birthday(rng),
    city,
    locale,
    products,
    existing,
    signsIn: existing || h.shares || rng.chance(0.72),
    anonymousSessions: rng.weighted([
      [0, 25],
      [1, 30],
      [2, 20],
      [3, 15],
      [5, 10],
    ]),
    leadCapture: !existing && rng.chance(0.12),
    clients: clientsOf(rng, partial, h),
    activeFrom,
    activeTo: Math.min(now, activeFrom + lifetime),
    sessionsPerWeek: Math.min(20, rng.logNormal(0.6, 0.9)),
    buyIntent: Math.min(0.6, rng.logNormal(0.1, 0.8)),
    sharesLocation: rng.chance(0.6),
  };
}
