/**
 * fast-check generators of the values inside rules: names and values found in the test dataset
 * (so random conditions select non-trivial member sets), times, and hostile strings.
 */
import fc from 'fast-check';
import { parseIsoTime } from '../iso-time.ts';
import type { ValuePredicate } from '../rule-schema.ts';
import { DATASET } from './dataset.ts';
import { lookup } from './reference-predicates.ts';

export const TRAITS = [
  'city',
  'age',
  'vip',
  'plan',
  'score',
  'tags',
  'address',
  'address.city',
  'address.geo.lat',
  'signup',
  'nickname',
  'name',
  'nested.a.b.c',
  'email_consent',
  'telegram_id',
  'missing',
  '$custom',
];
export const PROPERTIES = [
  'revenue',
  'currency',
  'price',
  'product.category',
  'path',
  'coupon',
  'method',
  'missing',
];
export const EVENTS = ['Order Completed', 'Product Viewed', 'Page Viewed', 'Signed Up', 'Never Happened'];
const TEXT = [
  'Москва',
  'москва',
  'Санкт-Петербург',
  'ПЕТЕР',
  'петер',
  'Berlin',
  'pro',
  'PRO',
  '',
  '34',
  'ẞE',
  'a',
  'Kazan',
  'USD',
  'usd',
  'Shoes',
  '/a',
  '/home',
  "O'Reilly \\ email",
  'true',
];
export const NUMBERS = [
  0, 1, 2, 3, 4.5, 10, 12.5, 15, 17, 20, 21, 28, 30, 34, 40, 50, 65.5, 70, 80, 100, 250, 1000, -1,
];

/** Variants of `pool` that hit the dataset: as is, pieces of it, in other letter cases. */
function variants(pool: string[]): fc.Arbitrary<string> {
  const one = fc.constantFrom(...pool);
  return fc.oneof(
    { arbitrary: one, weight: 2 },
    {
      arbitrary: one.chain((s) =>
        fc.tuple(fc.nat(s.length), fc.nat(s.length)).map(([a, b]) => s.slice(Math.min(a, b), Math.max(a, b))),
      ),
      weight: 2,
    },
    { arbitrary: one.map((s) => s.toUpperCase()), weight: 1 },
    { arbitrary: one.map((s) => s.toLowerCase()), weight: 1 },
  );
}

export const traitDocs = DATASET.profiles.map((p) => p.traits);
export const propertyDocs = DATASET.events.map((e) => e.properties);

function valuesAt(docs: object[], name: string) {
  const values = docs.map((d) => lookup(d, name));
  return {
    strings: [...new Set(values.filter((v): v is string => typeof v === 'string'))],
    numbers: [...new Set(values.filter((v): v is number => typeof v === 'number'))],
  };
}

export const textArb: fc.Arbitrary<string> = variants(TEXT);

/** Value arbitraries for one trait or property name: mostly values found under that name. */
export function valuesFor(docs: object[], name: string, strings?: fc.Arbitrary<string>) {
  const found = valuesAt(docs, name);
  const text =
    strings ??
    (found.strings.length ? fc.oneof(textArb, variants(found.strings), variants(found.strings)) : textArb);
  const anyNumber = fc.constantFrom(...NUMBERS);
  const number = found.numbers.length ? fc.oneof(anyNumber, fc.constantFrom(...found.numbers)) : anyNumber;
  return { text, number };
}

const DATES = [
  '2024-06-01',
  '2025-01-01',
  '2025-01-01T00:30:00Z',
  '2025-05-01',
  '2025-05-15',
  '2025-06-01T10:00:00Z',
  '2025-06-05T12:00:00+00:00',
  '2025-06-10',
  '2025-06-14 12:00',
];

export const relative = fc.oneof(
  fc.constantFrom(0, 1, 2, 3, 5, 7, 10, 14, 15, 30, 45, 60, 90, 100, 365, 1000).map((days) => ({ days })),
  fc.constantFrom(1, 12, 24, 36, 48, 72).map((hours) => ({ hours })),
);
export const isoDate = fc.constantFrom(...DATES);
export const sortedPair = <T>(arb: fc.Arbitrary<T>, cmp: (a: T, b: T) => number) =>
  fc.tuple(arb, arb).map(([a, b]) => (cmp(a, b) <= 0 ? [a, b] : [b, a]) as [T, T]);
export const byTime = (a: string, b: string) => parseIsoTime(a)! - parseIsoTime(b)!;

export function valuePredicate(
  strings: fc.Arbitrary<string>,
  number: fc.Arbitrary<number>,
): fc.Arbitrary<ValuePredicate> {
  const scalar = fc.oneof(strings, number, fc.boolean());
  return fc.oneof(
    fc.record({ op: fc.constantFrom('eq' as const, 'neq' as const), value: scalar }),
    fc.record({
      op: fc.constantFrom('gt' as const, 'gte' as const, 'lt' as const, 'lte' as const),
      value: number,
    }),
    fc.record({
      op: fc.constant('between' as const),
      value: fc.oneof(
        sortedPair(number, (a, b) => a - b),
        sortedPair(isoDate, byTime),
      ),
    }),
    fc.record({
      op: fc.constantFrom('in' as const, 'not_in' as const),
      value: fc.array(scalar, { minLength: 1, maxLength: 4 }),
    }),
    fc.record({
      op: fc.constantFrom(
        'contains' as const,
        'not_contains' as const,
        'starts_with' as const,
        'ends_with' as const,
      ),
      value: strings,
    }),
    fc.record({ op: fc.constantFrom('exists' as const, 'not_exists' as const) }),
    fc.record({
      op: fc.constantFrom('before' as const, 'after' as const),
      value: fc.oneof(relative, isoDate),
    }),
    fc.record({ op: fc.constant('within_last' as const), value: relative }),
  );
}

export const numberPredicate = (values: fc.Arbitrary<number>) =>
  fc.oneof(
    fc.record({
      op: fc.constantFrom(
        'eq' as const,
        'neq' as const,
        'gt' as const,
        'gte' as const,
        'lt' as const,
        'lte' as const,
      ),
      value: values,
    }),
    fc.record({ op: fc.constant('between' as const), value: sortedPair(values, (a, b) => a - b) }),
  );

export const window = fc.oneof(
  relative,
  sortedPair(isoDate, byTime).map(([from, to]) => ({ from, to })),
);

/** Pieces of hostile text: quotes, backslashes, SQL, placeholders, control and Unicode characters. */
export const NASTY = [
  "'); DROP TABLE events; --",
  "\\'",
  '\\',
  '"',
  '`',
  '{p0:String}',
  "' OR 1=1 --",
  '\u0000',
  'ПЕТЕР\'"',
  '😀',
  '\u202e',
  '\n;',
];

/** A string that always contains at least one piece of NASTY. */
export const hostileString: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...NASTY), fc.string({ unit: 'grapheme', maxLength: 6 }), fc.constantFrom(...NASTY))
  .map(([a, b, c]) => `${a}${b}${c}`);
