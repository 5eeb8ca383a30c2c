import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type NormalizeResult,
  normalizeAnonymousId,
  normalizeDeviceId,
  normalizeEmail,
  normalizePhone,
  normalizePushToken,
  normalizeUserId,
} from './normalize.ts';

/** normalize(normalize(x)) == normalize(x) whenever the first call succeeds. */
function idempotent(normalize: (v: unknown) => NormalizeResult, input: unknown): void {
  const first = normalize(input);
  if (first.ok) expect(normalize(first.value)).toEqual(first);
}

const anyText = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }));

/** Russian mobiles written with a random prefix and separators, and E.164-looking numbers of any country. */
const phoneLike = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('8', '+7', '7', '', '007', 'tel:+7'),
      fc.constantFrom('901', '916', '925', '999', '495', '812'),
      fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 7, maxLength: 7 }),
      fc.constantFrom('', ' ', '-', ' - '),
    )
    .map(([prefix, code, digits, sep]) => `${prefix}${sep}(${code})${sep}${digits.join('')}`),
  fc.stringMatching(/^\+[1-9][0-9]{7,13}$/),
);

describe('normalisers are idempotent', () => {
  const cases: [string, (v: unknown) => NormalizeResult, fc.Arbitrary<unknown>][] = [
    ['user id', normalizeUserId, fc.oneof(anyText, fc.integer())],
    [
      'anonymous id',
      normalizeAnonymousId,
      fc.oneof(
        anyText,
        fc.uuid(),
        fc.uuid().map((u) => u.toUpperCase()),
      ),
    ],
    [
      'device id',
      normalizeDeviceId,
      fc.oneof(
        anyText,
        fc.uuid().map((u) => u.toUpperCase()),
      ),
    ],
    ['push token', normalizePushToken, fc.oneof(anyText, fc.stringMatching(/^<?[0-9A-Fa-f ]{32,80}>?$/))],
    [
      'email',
      normalizeEmail,
      fc.oneof(
        anyText,
        fc.emailAddress(),
        fc.emailAddress().map((e) => e.toUpperCase()),
      ),
    ],
    ['phone', (v) => normalizePhone(v, 'RU'), fc.oneof(anyText, phoneLike)],
  ];
  for (const [name, normalize, arb] of cases) {
    it(name, () => {
      fc.assert(fc.property(arb, (input) => idempotent(normalize, input)));
    });
  }
});

describe('normalizeEmail', () => {
  it('ignores case and surrounding white space', () => {
    fc.assert(
      fc.property(fc.emailAddress(), fc.constantFrom('', ' ', '\t', '  '), (email, pad) => {
        const base = normalizeEmail(email);
        expect(normalizeEmail(`${pad}${email.toUpperCase()}${pad}`)).toEqual(base);
      }),
    );
  });

  it('folds Gmail dots and +tags to one mailbox', () => {
    const local = fc.stringMatching(/^[a-z0-9]{2,12}$/);
    fc.assert(
      fc.property(
        local,
        fc.array(fc.nat(), { maxLength: 3 }),
        fc.option(fc.stringMatching(/^[a-z0-9]{1,8}$/), { nil: undefined }),
        fc.constantFrom('gmail.com', 'googlemail.com', 'GMail.com'),
        (name, dots, tag, domain) => {
          let dotted = name;
          for (const d of dots) {
            const i = 1 + (d % (dotted.length - 1));
            if (dotted[i - 1] !== '.' && dotted[i] !== '.')
              dotted = `${dotted.slice(0, i)}.${dotted.slice(i)}`;
          }
          const written = `${dotted}${tag ? `+${tag}` : ''}@${domain}`;
          expect(normalizeEmail(written)).toEqual({ ok: true, value: `${name}@gmail.com` });
        },
      ),
    );
  });
});

describe('normalizePhone', () => {
  const codes = ['901', '903', '916', '925', '977', '999'];
  const formats: ((a: string, b: string, c: string, d: string) => string)[] = [
    (a, b, c, d) => `8 (${a}) ${b}-${c}-${d}`,
    (a, b, c, d) => `+7 ${a} ${b} ${c} ${d}`,
    (a, b, c, d) => `+7(${a})${b}${c}${d}`,
    (a, b, c, d) => `8${a}${b}${c}${d}`,
    (a, b, c, d) => `7${a}${b}${c}${d}`,
    (a, b, c, d) => `${a}${b}${c}${d}`,
    (a, b, c, d) => `+7-${a}-${b}-${c}-${d}`,
    (a, b, c, d) => ` 007 ${a} ${b} ${c}${d} `,
    (a, b, c, d) => `tel:+7${a}${b}${c}${d}`,
  ];

  it('gives one E.164 number for every way of writing it', () => {
    fc.assert(
      fc.property(fc.constantFrom(...codes), fc.integer({ min: 0, max: 9_999_999 }), (code, n) => {
        const rest = String(n).padStart(7, '0');
        const [b, c, d] = [rest.slice(0, 3), rest.slice(3, 5), rest.slice(5)];
        const results = formats.map((f) => normalizePhone(f(code, b, c, d), 'RU'));
        for (const r of results) expect(r).toEqual({ ok: true, value: `+7${code}${rest}` });
      }),
    );
  });

  it('an E.164 result does not depend on the default country', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...codes),
        fc.integer({ min: 0, max: 9_999_999 }),
        fc.constantFrom('RU', 'US', 'GB', 'DE', 'KZ') as fc.Arbitrary<'RU' | 'US' | 'GB' | 'DE' | 'KZ'>,
        (code, n, country) => {
          const e164 = `+7${code}${String(n).padStart(7, '0')}`;
          expect(normalizePhone(e164, country)).toEqual({ ok: true, value: e164 });
        },
      ),
    );
  });
});
